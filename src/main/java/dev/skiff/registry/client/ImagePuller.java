package dev.skiff.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.SkiffException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.image.Digest;
import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import dev.skiff.image.LayerSource;
import dev.skiff.image.Progress;
import dev.skiff.image.Reference;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Pulls one image: resolves the reference to a manifest (through an index to the wanted platform), fetches and
 * verifies the config, and hands the layers to the image store, which fetches the missing ones in parallel.
 * Messages are Docker's, so the docker CLI draws the same screen it draws for dockerd.
 */
final class ImagePuller {
    private final RegistryHttp http;
    private final ImageService images;
    private final MountSources mounts;

    ImagePuller(RegistryHttp http, ImageService images, MountSources mounts) {
        this.http = http;
        this.images = images;
        this.mounts = mounts;
    }

    /** What a pull did. */
    record Result(Image image, String digest, boolean upToDate) {
    }

    /**
     * @param ref      normalized, with a tag or a digest
     * @param platform "os/arch[/variant]", or null for linux/amd64
     */
    Result pull(Reference ref, String platform, Credentials creds, Progress out) {
        if (platform != null && !platform.isBlank()) {
            Manifests.Platform.parse(platform); // refused before anything is fetched, as dockerd does
        }
        Progress progress = new SerialProgress(out);
        String reference = ref.digest() != null ? ref.digest() : ref.tag();
        String what = "manifest for " + ref.familiar();
        SkiffException last = null;
        for (URI base : http.pullBases(ref.domain())) {
            RegistrySession session;
            ManifestFetcher.Fetched top;
            try {
                session = RegistrySession.open(http, base, creds);
                top = ManifestFetcher.fetch(session, ref.path(), reference, what);
            } catch (UnavailableException | NotFoundException e) {
                last = e; // a mirror that is down or lacks the image: the next one, then the registry itself
                continue;
            }
            // Said once the manifest is in hand, as dockerd does: earlier failures stay plain HTTP errors.
            // dockerd's words: the tag (or the whole reference when pulling by digest), then the repository's path
            progress.update(ref.digest() != null ? ref.familiar() : reference, "Pulling from " + ref.path(), -1, -1);
            return pullFrom(session, ref, top, platform, progress);
        }
        throw last;
    }

    private Result pullFrom(RegistrySession s, Reference ref, ManifestFetcher.Fetched top, String platform,
                            Progress progress) {
        String what = "manifest for " + ref.familiar();
        Manifests.ImageManifest manifest = switch (Manifests.parse(top.bytes(), top.contentType(), ref.familiar())) {
            case Manifests.ParsedManifest m -> m.manifest();
            case Manifests.ParsedIndex i -> {
                Manifests.Platform wanted = Manifests.Platform.parse(platform == null || platform.isBlank()
                        ? "linux/amd64" : platform);
                Manifests.Descriptor chosen = i.index().choose(wanted, ref.familiar());
                ManifestFetcher.Fetched child = ManifestFetcher.fetch(s, ref.path(), chosen.digest(), what);
                if (!(Manifests.parse(child.bytes(), child.contentType(), ref.familiar())
                        instanceof Manifests.ParsedManifest m)) {
                    throw new InvalidArgumentException("the " + wanted + " entry of " + ref.familiar()
                            + " is another index: nested indexes are not supported");
                }
                yield m.manifest();
            }
        };
        checkLayers(manifest, ref);
        byte[] config = BlobFetcher.small(s, ref.path(), manifest.config(), "image config of " + ref.familiar());
        List<String> diffIds = diffIds(config, ref);
        if (diffIds.size() != manifest.layers().size()) {
            throw new InvalidArgumentException("the image " + ref.familiar() + " is inconsistent: its manifest has "
                    + manifest.layers().size() + " layers but its config " + diffIds.size() + " (refused)");
        }
        List<LayerSource> sources = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            Manifests.Descriptor layer = manifest.layers().get(i);
            mounts.remember(s.hostPort(), layer.digest(), ref.path());
            sources.add(new LayerSource(diffIds.get(i), layer.size(),
                    () -> BlobFetcher.layer(s, ref.path(), layer, progress), layer.digest()));
        }
        mounts.remember(s.hostPort(), manifest.config().digest(), ref.path());
        String imageId = Digest.sha256(config).toString();
        Optional<String> before = images.findId(ref.toString());
        List<String> tags = ref.tag() != null ? List.of(ref.toString()) : List.of();
        String repoDigest = ref.name() + "@" + top.digest();
        // an image already here (another name for it, say) is not downloaded again, and dockerd then says nothing of
        // its layers
        Progress layerProgress = images.findId(imageId).isPresent() ? Progress.NONE : progress;
        Image image = images.addImage(config, sources, tags, List.of(repoDigest), layerProgress,
                http.options().maxDownloads());
        boolean upToDate = before.filter(imageId::equals).isPresent();
        progress.update("", "Digest: " + top.digest(), -1, -1);
        progress.update("", "Status: " + (upToDate ? "Image is up to date for " : "Downloaded newer image for ")
                + ref.familiar(), -1, -1);
        return new Result(image, top.digest(), upToDate);
    }

    private static void checkLayers(Manifests.ImageManifest m, Reference ref) {
        for (Manifests.Descriptor l : m.layers()) {
            if (MediaTypes.isForeignLayer(l.mediaType())) {
                throw new InvalidArgumentException("image " + ref.familiar() + " has a foreign (non-distributable) layer "
                        + l.digest() + " (" + l.mediaType() + ") whose bytes are only at " + l.urls()
                        + ": Skiff does not fetch foreign layers; use an image without them");
            }
            if (!MediaTypes.isLayer(l.mediaType())) {
                throw new InvalidArgumentException("image " + ref.familiar() + " has layer " + l.digest()
                        + " of unknown media type '" + l.mediaType() + "' (refused)");
            }
        }
    }

    private static List<String> diffIds(byte[] config, Reference ref) {
        try {
            JsonNode n = Json.MAPPER.readTree(config);
            List<String> ids = new ArrayList<>();
            for (JsonNode d : n.path("rootfs").path("diff_ids")) {
                if (!Digest.isDigest(d.asText())) {
                    throw new InvalidArgumentException("the image config of " + ref.familiar()
                            + " has an invalid diff_id " + d);
                }
                ids.add(d.asText());
            }
            return ids;
        } catch (IOException e) {
            throw new InvalidArgumentException("the image config of " + ref.familiar() + " is not JSON: " + e.getMessage());
        }
    }
}

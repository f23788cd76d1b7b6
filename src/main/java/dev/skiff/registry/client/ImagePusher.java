package dev.skiff.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.SkiffException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.image.Digest;
import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import dev.skiff.image.Progress;
import dev.skiff.image.Reference;
import dev.skiff.image.StoredLayer;
import dev.skiff.sys.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pushes one tag of a local image: layers the registry has are skipped (HEAD), layers another repository of the
 * same registry holds are mounted, the rest upload in parallel; then the config and a Docker schema 2 manifest
 * (OCI when a layer is zstd, which schema 2 cannot name). Layers kept as plain tars are gzipped once and kept so.
 */
final class ImagePusher {
    private final RegistryHttp http;
    private final ImageService images;
    private final MountSources mounts;

    ImagePusher(RegistryHttp http, ImageService images, MountSources mounts) {
        this.http = http;
        this.images = images;
        this.mounts = mounts;
    }

    /** What was pushed: the tag, the manifest digest and its size in bytes. */
    record Result(String tag, String digest, long size) {
    }

    Result push(Reference ref, Credentials creds, Progress out) {
        Progress progress = new SerialProgress(out);
        Image image = images.resolve(ref.toString());
        byte[] config = images.configBytes(image.id());
        List<String> diffIds = diffIds(config);
        RegistrySession s = RegistrySession.open(http, http.base(RegistryHttp.endpointHost(ref.domain())), creds);
        String repo = ref.path();
        for (String d : diffIds) {
            progress.update(Digest.parse(d).shortHex(), "Preparing", -1, -1);
        }
        int concurrency = http.options().maxUploads();
        for (int i = concurrency; i < diffIds.size(); i++) {
            progress.update(Digest.parse(diffIds.get(i)).shortHex(), "Waiting", -1, -1);
        }
        List<StoredLayer> layers = uploadLayers(s, repo, diffIds, progress, concurrency);
        Digest configDigest = Digest.sha256(config);
        if (!BlobUploader.exists(s, repo, configDigest.toString())) {
            BlobUploader.upload(s, repo, configDigest.toString(), config.length,
                    () -> new ByteArrayInputStream(config), n -> { });
        }
        mounts.remember(s.hostPort(), configDigest.toString(), repo);
        boolean oci = layers.stream().anyMatch(l -> l.mediaType().endsWith("+zstd"));
        String type = oci ? MediaTypes.OCI_MANIFEST : MediaTypes.DOCKER_MANIFEST;
        byte[] manifest = manifest(type, configDigest, config.length, layers, oci);
        String digest = Digest.sha256(manifest).toString();
        ManifestPusher.put(s, repo, ref.tag(), manifest, type, digest);
        images.addRepoDigest(image.id(), ref.name() + "@" + digest);
        return new Result(ref.tag(), digest, manifest.length);
    }

    private List<StoredLayer> uploadLayers(RegistrySession s, String repo, List<String> diffIds, Progress progress,
                                           int concurrency) {
        Semaphore slots = new Semaphore(concurrency, true);
        List<StoredLayer> done = new ArrayList<>();
        // Platform threads: compressing, hashing and unpacking are CPU-bound and would pin the virtual threads'
        // few carriers, starving every other virtual thread of the daemon (the HTTP server's included).
        try (ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("layer-", 0).factory())) {
            List<Future<StoredLayer>> running = new ArrayList<>();
            for (String diffId : diffIds) {
                running.add(workers.submit(() -> {
                    slots.acquire();
                    try {
                        return uploadLayer(s, repo, diffId, progress);
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<StoredLayer> f : running) {
                done.add(f.get());
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SkiffException se) {
                throw se;
            }
            throw new InternalException("push to " + s.hostPort() + "/" + repo + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("push to " + s.hostPort() + "/" + repo + " interrupted", e);
        }
        return done;
    }

    private StoredLayer uploadLayer(RegistrySession s, String repo, String diffId, Progress progress) {
        String id = Digest.parse(diffId).shortHex();
        Optional<? extends InputStream> plain = images.gzipWhileReading(diffId);
        if (plain.isPresent()) {
            return uploadCompressing(s, repo, diffId, id, plain.get(), progress);
        }
        StoredLayer layer = images.compressedLayer(diffId);
        if (BlobUploader.exists(s, repo, layer.digest())) {
            progress.update(id, "Layer already exists", -1, -1);
        } else if (mounts.sourceFor(s.hostPort(), layer.digest(), repo)
                .filter(from -> BlobUploader.mount(s, repo, layer.digest(), from))
                .map(from -> {
                    progress.update(id, "Mounted from " + from, -1, -1);
                    return from;
                }).isEmpty()) {
            BlobUploader.upload(s, repo, layer.digest(), layer.size(), () -> images.openBlob(layer.digest()),
                    n -> progress.update(id, "Pushing", n, layer.size()));
            progress.update(id, "Pushed", -1, -1);
        }
        mounts.remember(s.hostPort(), layer.digest(), repo);
        return layer;
    }

    /**
     * A layer kept as a plain tar: compressed while it is sent (its digest is known only at the end, so it goes up in
     * one streamed PATCH), and kept compressed for the next push. A resent request reads the kept gzip, or compresses
     * again: the bytes are the same either way.
     */
    private StoredLayer uploadCompressing(RegistrySession s, String repo, String diffId, String id,
                                          InputStream first, Progress progress) {
        AtomicReference<InputStream> unused = new AtomicReference<>(first);
        List<InputStream> opened = Collections.synchronizedList(new ArrayList<>(List.of(first)));
        try {
            BlobUploader.uploadStreaming(s, repo, "uploading layer " + diffId + " to " + repo, () -> {
                InputStream in = unused.getAndSet(null);
                if (in == null) {
                    in = images.gzipWhileReading(diffId).map(InputStream.class::cast)
                            .orElseGet(() -> images.openBlob(images.compressedLayer(diffId).digest()));
                    opened.add(in);
                }
                return in;
            }, n -> progress.update(id, "Pushing", n, -1), () -> images.compressedLayer(diffId).digest());
        } finally {
            for (InputStream in : opened) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // only releasing the files
                }
            }
        }
        progress.update(id, "Pushed", -1, -1);
        StoredLayer layer = images.compressedLayer(diffId);
        mounts.remember(s.hostPort(), layer.digest(), repo);
        return layer;
    }

    private static byte[] manifest(String type, Digest config, long configSize, List<StoredLayer> layers, boolean oci) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", type);
        m.put("config", descriptor(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG, configSize, config.toString()));
        List<Object> ls = new ArrayList<>();
        for (StoredLayer l : layers) {
            ls.add(descriptor(oci ? l.mediaType() : MediaTypes.dockerLayerType(l.mediaType()), l.size(), l.digest()));
        }
        m.put("layers", ls);
        try {
            return Json.COMPACT.writeValueAsBytes(m);
        } catch (IOException e) {
            throw new InternalException("cannot write a manifest: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> descriptor(String type, long size, String digest) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", type);
        d.put("size", size);
        d.put("digest", digest);
        return d;
    }

    private static List<String> diffIds(byte[] config) {
        try {
            List<String> ids = new ArrayList<>();
            for (JsonNode d : Json.MAPPER.readTree(config).path("rootfs").path("diff_ids")) {
                ids.add(d.asText());
            }
            return ids;
        } catch (IOException e) {
            throw new InvalidArgumentException("the image config is not JSON: " + e.getMessage());
        }
    }
}

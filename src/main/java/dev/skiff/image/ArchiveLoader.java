package dev.skiff.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.SkiffException;
import dev.skiff.sys.Json;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * `docker load`: reads a docker-archive (manifest.json, config JSON, layer tars in the old per-layer
 * directories or Docker 25's blobs/sha256) or an OCI image layout (oci-layout, index.json, blobs).
 * The archive is read once ({@link ArchiveSpool}: layers go straight into the content store, hashed as they
 * stream); then the layers of each image unpack side by side. Layers land first, image records last, so a corrupt
 * archive leaves no image behind.
 */
final class ArchiveLoader {
    private static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    private static final int BUFFER = 1 << 16;

    private final LocalImageService store;

    ArchiveLoader(LocalImageService store) {
        this.store = store;
    }

    List<Image> load(InputStream archive, Progress progress) {
        try (ArchiveSpool spool = ArchiveSpool.extract(archive, store)) {
            List<Entry> entries;
            if (spool.has("manifest.json")) {
                entries = dockerArchive(spool);
            } else if (spool.has("index.json")) {
                entries = ociLayout(spool);
            } else {
                throw new InvalidArgumentException("the archive has neither manifest.json nor index.json"
                        + " (expected the output of docker save or an OCI image layout)");
            }
            List<Image> loaded = new ArrayList<>();
            for (Entry e : entries) {
                loaded.add(loadImage(spool, e, progress));
            }
            return loaded;
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot load the image archive: " + e.getMessage(), e);
        }
    }

    /** One image to load: its config, its layer files (bottom first) and the tags it comes with. */
    private record Entry(String configPath, List<String> layerPaths, List<Reference> tags) {
    }

    private static List<Entry> dockerArchive(ArchiveSpool spool) throws IOException {
        JsonNode manifest = json(spool.read("manifest.json"), "manifest.json");
        if (!manifest.isArray()) {
            throw new InvalidArgumentException("manifest.json in the image archive is not a list of images");
        }
        List<Entry> entries = new ArrayList<>();
        for (JsonNode m : manifest) {
            List<String> layers = new ArrayList<>();
            m.path("Layers").forEach(l -> layers.add(l.asText()));
            List<Reference> tags = new ArrayList<>();
            for (JsonNode t : m.path("RepoTags")) {
                tags.add(Reference.parseWithDefaultTag(t.asText()));
            }
            if (!m.path("Config").isTextual()) {
                throw new InvalidArgumentException("manifest.json in the image archive has an image without Config");
            }
            entries.add(new Entry(m.get("Config").asText(), layers, tags));
        }
        return entries;
    }

    private static List<Entry> ociLayout(ArchiveSpool spool) throws IOException {
        JsonNode index = json(spool.read("index.json"), "index.json");
        List<Entry> entries = new ArrayList<>();
        for (JsonNode desc : index.path("manifests")) {
            JsonNode manifestDesc = pickManifest(spool, desc);
            JsonNode manifest = json(blob(spool, manifestDesc), manifestDesc.path("digest").asText());
            List<String> layers = new ArrayList<>();
            manifest.path("layers").forEach(l -> layers.add(blobPath(l.path("digest").asText())));
            List<Reference> tags = new ArrayList<>();
            tagOf(desc.path("annotations")).ifPresent(tags::add);
            String config = blobPath(manifest.path("config").path("digest").asText());
            Entry merged = entries.stream().filter(e -> e.configPath().equals(config)).findFirst().orElse(null);
            if (merged != null) {
                merged.tags().addAll(tags); // one image listed once per tag
            } else {
                entries.add(new Entry(config, layers, tags));
            }
        }
        if (entries.isEmpty()) {
            throw new InvalidArgumentException("index.json in the OCI layout lists no images");
        }
        return entries;
    }

    /** For an index (multi-platform), the manifest for this host, else the first. */
    private static JsonNode pickManifest(ArchiveSpool spool, JsonNode desc) throws IOException {
        String type = desc.path("mediaType").asText();
        if (!type.equals(OCI_INDEX) && !type.equals(DOCKER_LIST)) {
            return desc;
        }
        JsonNode nested = json(blob(spool, desc), desc.path("digest").asText()).path("manifests");
        String[] host = ImageConfigs.hostPlatform();
        for (JsonNode m : nested) {
            if (host[0].equals(m.path("platform").path("os").asText())
                    && host[1].equals(m.path("platform").path("architecture").asText())) {
                return pickManifest(spool, m);
            }
        }
        if (nested.isEmpty()) {
            throw new InvalidArgumentException("image index " + desc.path("digest").asText() + " lists no manifests");
        }
        return pickManifest(spool, nested.get(0));
    }

    private static Optional<Reference> tagOf(JsonNode annotations) {
        String full = annotations.path("io.containerd.image.name").asText("");
        String ref = annotations.path("org.opencontainers.image.ref.name").asText("");
        for (String candidate : new String[] {full, ref}) {
            if ((candidate.contains(":") || candidate.contains("/")) && Reference.isValid(candidate)) {
                Reference r = Reference.parse(candidate);
                if (r.digest() == null) {
                    return Optional.of(r.withDefaultTag());
                }
            }
        }
        return Optional.empty(); // a bare tag ("latest") names no repository to put it in
    }

    private static byte[] blob(ArchiveSpool spool, JsonNode desc) throws IOException {
        String digest = desc.path("digest").asText();
        byte[] data = spool.read(blobPath(digest));
        if (!Digest.sha256(data).toString().equals(digest)) {
            throw new InvalidArgumentException("blob " + digest + " in the OCI layout does not match its digest (corrupt archive)");
        }
        return data;
    }

    private static String blobPath(String digest) {
        Digest d = Digest.parse(digest);
        return "blobs/" + d.algorithm() + "/" + d.hex();
    }

    private Image loadImage(ArchiveSpool spool, Entry e, Progress progress) throws IOException {
        byte[] configBytes = spool.read(e.configPath());
        ImageConfig config = ImageConfigs.parse(configBytes);
        List<Digest> diffIds = ImageConfigs.diffIds(config);
        if (diffIds.size() != e.layerPaths().size()) {
            throw new InvalidArgumentException("image " + e.configPath() + " in the archive lists "
                    + e.layerPaths().size() + " layers but its config has " + diffIds.size() + " diff_ids (corrupt archive)");
        }
        List<Digest> chains = LayerStore.chainIds(diffIds);
        try (Leases.Lease lease = store.leases.open()) {
            chains.forEach(lease::add);
            diffIds.forEach(lease::add);
            List<Digest> blobs = new ArrayList<>();
            for (String path : e.layerPaths()) {
                Digest blob = spool.blob(path);
                lease.add(blob);
                blobs.add(blob);
            }
            // Layers the spool unpacked while the archive streamed in are moved into place, bottom up, after the rest
            // were unpacked from their blobs: those unpack side by side (their chainIDs are known from the config).
            List<ArchiveSpool.Unpacked> ahead = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                ahead.add(aheadFor(spool, chains.get(i), diffIds.get(i), blobs.get(i)));
            }
            int threads = Math.min(diffIds.size(), Math.max(1, Runtime.getRuntime().availableProcessors()));
            List<Future<?>> running = new ArrayList<>();
            Semaphore slots = new Semaphore(threads);
            try (ExecutorService workers = Executors.newThreadPerTaskExecutor(
                    Thread.ofPlatform().name("load-layer-", 0).factory())) {
                for (int i = 0; i < diffIds.size(); i++) {
                    if (ahead.get(i) != null) {
                        continue;
                    }
                    Digest parent = i == 0 ? null : chains.get(i - 1);
                    Digest diffId = diffIds.get(i);
                    Digest blob = blobs.get(i);
                    running.add(workers.submit(() -> {
                        slots.acquire();
                        try {
                            loadLayer(spool, parent, diffId, blob, progress);
                        } finally {
                            slots.release();
                        }
                        return null;
                    }));
                }
                for (Future<?> f : running) {
                    f.get();
                }
            } catch (ExecutionException ex) {
                Throwable cause = ex.getCause();
                if (cause instanceof SkiffException se) {
                    throw se;
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                throw new InternalException("cannot load a layer: " + cause.getMessage(), cause);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new InternalException("interrupted while loading the layers of an image", ex);
            }
            for (int i = 0; i < diffIds.size(); i++) {
                ArchiveSpool.Unpacked u = ahead.get(i);
                if (u != null) {
                    keep(spool, diffIds.get(i), blobs.get(i), compressionOf(blobs.get(i)));
                    try {
                        store.layers.adopt(i == 0 ? null : chains.get(i - 1), u.dir(), diffIds.get(i), u.tarSize());
                    } finally {
                        LayerUnpacker.deleteTree(u.dir().getParent()); // moved away, unless the layer was there already
                    }
                    progress.update(diffIds.get(i).shortHex(), "Loading layer", u.tarSize(), u.tarSize());
                }
            }
            String newId = Digest.sha256(configBytes).toString();
            for (Reference tag : e.tags()) {
                // dockerd's words (and its "empty string") when a name moves to the loaded image
                store.records.byTag(tag.toString()).filter(old -> !old.equals(newId)).ifPresent(old ->
                        progress.message("The image " + tag.familiar() + " already exists, renaming the old one with ID "
                                + old + " to empty string\n"));
            }
            Image image = store.register(configBytes, "", e.tags(), List.of(), "load", false);
            List<String> loadedTags = e.tags().stream().map(Reference::toString).toList();
            return new Image(image.id(), loadedTags, image.repoDigests(), image.created(), image.size(), image.config(),
                    image.parent());
        }
    }

    /**
     * Unpacks one layer from its blob and records the blob as the layer's. An uncompressed blob whose digest is the
     * diffID was verified as it was spooled; any other is verified by the layer store as it unpacks.
     */
    private void loadLayer(ArchiveSpool spool, Digest parent, Digest diffId, Digest blob, Progress progress)
            throws IOException {
        String id = diffId.shortHex();
        Digest chain = LayerStore.chainId(parent, diffId);
        if (store.layers.exists(chain) && keptBlob(diffId).isPresent()) {
            progress.update(id, "Loading layer", 1, 1);
            return;
        }
        long size = store.content.size(blob);
        try (InputStream raw = store.content.open(blob)) {
            BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
            Compression compression = Compression.detect(in);
            CountingInputStream counted = new CountingInputStream(in);
            FilterInputStream reported = new FilterInputStream(counted) {
                private long last;

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    int n = super.read(b, off, len);
                    if (counted.count() - last >= (8 << 20) || n < 0) {
                        last = counted.count();
                        progress.update(id, "Loading layer", last, size);
                    }
                    return n;
                }
            };
            LayerStore.BeforeVisible record = () -> keep(spool, diffId, blob, compression);
            Layer layer = compression == Compression.NONE && blob.equals(diffId)
                    ? store.layers.applyVerified(parent, reported, diffId, record)
                    : store.layers.applyUnordered(parent, reported, diffId, record);
            if (!layer.diffId().equals(diffId)) {
                throw new InvalidArgumentException("layer " + diffId + " failed verification: its tar hashes to "
                        + layer.diffId() + " (the archive is corrupt)");
            }
        } catch (SkiffException ex) {
            throw ex;
        } catch (RuntimeException ex) {
            throw new InternalException("cannot load layer " + diffId + ": " + ex.getMessage(), ex);
        }
    }

    /** The layer as the spool unpacked it ahead, when that worked and it is this layer and not present yet. */
    private ArchiveSpool.Unpacked aheadFor(ArchiveSpool spool, Digest chain, Digest diffId, Digest blob) {
        if (store.layers.exists(chain)) {
            return null;
        }
        try {
            Optional<ArchiveSpool.Unpacked> u = spool.takeUnpacked(blob);
            if (u.isPresent() && !u.get().diffId().equals(diffId)) {
                LayerUnpacker.deleteTree(u.get().dir().getParent());
                return null;
            }
            return u.orElse(null);
        } catch (IOException ex) {
            throw new InternalException("cannot clean up after loading layer " + diffId + ": " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new InternalException("interrupted while loading layer " + diffId, ex);
        }
    }

    private Compression compressionOf(Digest blob) throws IOException {
        try (InputStream in = new BufferedInputStream(store.content.open(blob), 64)) {
            return Compression.detect(in);
        }
    }

    private Optional<ImageRecords.LayerBlob> keptBlob(Digest diffId) {
        return LayerTars.kept(store, diffId);
    }

    /** Records the blob as the layer's, unless the layer is kept already (then this copy goes with the spool). */
    private void keep(ArchiveSpool spool, Digest diffId, Digest blob, Compression compression) {
        synchronized (store.lock) {
            Optional<ImageRecords.LayerBlob> existing = keptBlob(diffId);
            if (existing.isEmpty() || existing.get().isRegenerated()) {
                // a stored blob beats a tar regenerated from a build step's directory
                store.records.putLayerBlob(diffId, new ImageRecords.LayerBlob(blob, compression.mediaType()));
                spool.claim(blob);
            } else if (existing.get().blob().equals(blob)) {
                spool.claim(blob);
            }
        }
    }

    private static JsonNode json(byte[] data, String what) {
        try {
            return Json.MAPPER.readTree(data);
        } catch (IOException ex) {
            throw new InvalidArgumentException(what + " in the image archive is not valid JSON: " + ex.getMessage(), ex);
        }
    }
}

package dev.skiff.image;

import dev.skiff.errors.InternalException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * `docker save`: one tar that is both an OCI image layout (oci-layout, index.json, blobs/sha256) and a
 * docker-archive (manifest.json and repositories pointing into blobs/), as Docker 25+ writes it. Layers are
 * written uncompressed, streamed from the content store (or regenerated from the layer directory of a build step,
 * which keeps no tar), so the diffIDs in the configs stay true.
 */
final class ArchiveWriter {
    private static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";
    private static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    private static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";

    private final LocalImageService store;
    private final Set<String> written = new HashSet<>();
    private TarArchiveOutputStream tar;

    ArchiveWriter(LocalImageService store) {
        this.store = store;
    }

    void save(List<String> names, OutputStream out) {
        Map<String, List<Reference>> images = select(names);
        checkLayers(images.keySet());
        tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        try {
            directory("blobs/");
            directory("blobs/sha256/");
            List<Map<String, Object>> index = new ArrayList<>();
            List<Map<String, Object>> manifests = new ArrayList<>();
            Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
            for (Map.Entry<String, List<Reference>> e : images.entrySet()) {
                Image image = store.image(e.getKey()).orElseThrow();
                Digest config = blob(store.configBytes(image.id()));
                List<Map<String, Object>> layerDescs = new ArrayList<>();
                List<String> layerPaths = new ArrayList<>();
                for (Layer layer : store.layers(image)) {
                    layerBlob(layer);
                    layerDescs.add(descriptor(LAYER_TYPE, layer.diffId(), layer.tarSize(), null));
                    layerPaths.add(path(layer.diffId()));
                }
                byte[] manifestJson = Json.COMPACT.writeValueAsBytes(ordered("schemaVersion", 2, "mediaType", MANIFEST_TYPE,
                        "config", descriptor(CONFIG_TYPE, config, store.configBytes(image.id()).length, null),
                        "layers", layerDescs));
                Digest manifest = blob(manifestJson);
                List<String> repoTags = new ArrayList<>();
                for (Reference ref : e.getValue()) {
                    index.add(descriptor(MANIFEST_TYPE, manifest, manifestJson.length, ordered(
                            "io.containerd.image.name", ref.toString(), "org.opencontainers.image.ref.name", ref.tag())));
                    repoTags.add(ref.familiar());
                    if (!layerPaths.isEmpty()) {
                        repositories.computeIfAbsent(ref.familiarName(), k -> new LinkedHashMap<>())
                                .put(ref.tag(), store.layers(image).getLast().diffId().hex());
                    }
                }
                if (e.getValue().isEmpty()) {
                    index.add(descriptor(MANIFEST_TYPE, manifest, manifestJson.length, null));
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("Config", path(config));
                m.put("RepoTags", repoTags.isEmpty() ? null : repoTags);
                m.put("Layers", layerPaths);
                manifests.add(m);
            }
            file("index.json", Json.COMPACT.writeValueAsBytes(ordered("schemaVersion", 2,
                    "mediaType", "application/vnd.oci.image.index.v1+json", "manifests", index)));
            file("manifest.json", Json.MAPPER.writeValueAsBytes(manifests));
            file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8));
            if (!repositories.isEmpty()) {
                file("repositories", Json.MAPPER.writeValueAsBytes(repositories));
            }
            tar.finish();
            tar.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the image archive: " + e.getMessage(), e);
        }
        images.keySet().forEach(id -> store.emit("save", id, Map.of()));
    }

    /**
     * Fails before the first byte, while the client can still be told why, when a layer's tar is not to be had or a
     * build step's layer directory no longer gives its tar. (The archive streams, so a failure later only cuts it.)
     */
    private void checkLayers(Set<String> ids) {
        Set<Digest> seen = new HashSet<>();
        for (String id : ids) {
            for (Layer layer : store.layers(store.image(id).orElseThrow())) {
                if (!seen.add(layer.diffId())) {
                    continue;
                }
                try {
                    LayerTars.checkBeforeStreaming(store, layer.diffId(), kept(layer));
                } catch (IOException e) {
                    throw new InternalException("cannot save image " + id + ": " + e.getMessage(), e);
                }
            }
        }
    }

    private ImageRecords.LayerBlob kept(Layer layer) {
        return LayerTars.kept(store, layer.diffId()).orElseThrow(() -> new InternalException(
                "the tar of layer " + layer.diffId() + " is not in the content store (load or pull the image again)"));
    }

    /** Image ID -> the tags to save it under, in the order asked; "busybox" alone means every busybox tag. */
    private Map<String, List<Reference>> select(List<String> names) {
        if (names.isEmpty()) {
            throw new dev.skiff.errors.InvalidArgumentException("no images to save (name at least one image)");
        }
        Map<String, List<Reference>> images = new LinkedHashMap<>();
        for (String name : names) {
            Reference ref = Reference.isValid(name) ? Reference.parse(name) : null;
            if (ref != null && ref.isNameOnly()) {
                boolean found = false;
                for (Image image : store.list()) {
                    for (String tag : image.repoTags()) {
                        Reference t = Reference.parse(tag);
                        if (t.name().equals(ref.name())) {
                            add(images, image.id(), t);
                            found = true;
                        }
                    }
                }
                if (found) {
                    continue;
                }
            }
            String id = store.findId(name).orElseThrow(() -> LocalImageService.noSuchImage(name));
            boolean byName = ref != null && ref.tag() != null && store.records.byTag(ref.toString()).isPresent();
            add(images, id, byName ? ref : null);
        }
        return images;
    }

    private static void add(Map<String, List<Reference>> images, String id, Reference tag) {
        List<Reference> tags = images.computeIfAbsent(id, k -> new ArrayList<>());
        if (tag != null && !tags.contains(tag)) {
            tags.add(tag);
        }
    }

    /** A map that keeps its keys in the order given, so the same images always give the same manifest bytes. */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> descriptor(String type, Digest digest, long size, Map<String, Object> annotations) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", type);
        d.put("digest", digest.toString());
        d.put("size", size);
        if (annotations != null) {
            d.put("annotations", annotations);
        }
        return d;
    }

    private static String path(Digest d) {
        return "blobs/sha256/" + d.hex();
    }

    private Digest blob(byte[] data) throws IOException {
        Digest d = Digest.sha256(data);
        if (written.add(d.hex())) {
            file(path(d), data);
        }
        return d;
    }

    /**
     * A layer as its uncompressed tar, decompressed on the fly from whatever the content store holds, or regenerated
     * from a build step's layer directory (verified against the diffID as it streams).
     */
    private void layerBlob(Layer layer) throws IOException {
        if (!written.add(layer.diffId().hex())) {
            return;
        }
        ImageRecords.LayerBlob blob = kept(layer);
        TarArchiveEntry e = entry(path(layer.diffId()));
        e.setSize(layer.tarSize());
        tar.putArchiveEntry(e);
        try (InputStream in = Compression.decompress(LayerTars.open(store, layer.diffId(), blob))) {
            long n = in.transferTo(tar);
            if (n != layer.tarSize()) {
                throw new InternalException("the stored tar of layer " + layer.diffId() + " has " + n
                        + " bytes, expected " + layer.tarSize() + " (the content store is damaged)");
            }
        }
        tar.closeArchiveEntry();
    }

    private void file(String name, byte[] data) throws IOException {
        TarArchiveEntry e = entry(name);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private void directory(String name) throws IOException {
        TarArchiveEntry e = entry(name);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry entry(String name) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setModTime(0);
        if (!name.endsWith("/")) {
            e.setMode(0100644);
        }
        return e;
    }
}

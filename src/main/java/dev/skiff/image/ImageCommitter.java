package dev.skiff.image;

import dev.skiff.errors.InternalException;
import dev.skiff.sys.TreeSync;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes a new image from a parent and an overlay upper directory (commit, and each build step). */
final class ImageCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(ImageCommitter.class);
    private final LocalImageService store;

    ImageCommitter(LocalImageService store) {
        this.store = store;
    }

    Image commit(CommitRequest request) {
        Image parent = request.parentId() == null || request.parentId().isBlank()
                ? null : store.resolve(request.parentId());
        List<Reference> tags = request.reference() == null || request.reference().isBlank()
                ? List.of() : List.of(Reference.parseWithDefaultTag(request.reference()));
        List<String> diffIds = new ArrayList<>();
        List<ImageConfig.History> history = new ArrayList<>();
        String[] platform = ImageConfigs.hostPlatform();
        String variant = null;
        if (parent != null) {
            ImageConfig pc = parent.config();
            ImageConfigs.diffIds(pc).forEach(d -> diffIds.add(d.toString()));
            if (pc.history() != null) {
                history.addAll(pc.history());
            }
            platform = new String[] {pc.os() == null ? platform[0] : pc.os(),
                    pc.architecture() == null ? platform[1] : pc.architecture()};
            variant = pc.variant();
        }
        String now = ImageConfigs.format(Instant.now());
        try (Leases.Lease lease = store.leases.open()) {
            lease.unnamed(); // the new layer's digest is known only once it is written
            if (parent != null) {
                ImageConfigs.chainIds(parent.config()).forEach(lease::add);
            }
            if (request.diffDir() != null) {
                List<Digest> below = diffIds.stream().map(Digest::parse).toList();
                Layer layer = addLayer(request, below.isEmpty() ? null : LayerStore.chainIds(below).getLast(), lease);
                diffIds.add(layer.diffId().toString());
            }
            history.add(new ImageConfig.History(now, request.createdBy(), blankToNull(request.author()),
                    blankToNull(request.comment()), request.diffDir() == null ? Boolean.TRUE : null));
            ImageConfig config = new ImageConfig(platform[1], platform[0], variant, now, blankToNull(request.author()),
                    blankToNull(request.comment()), null, request.config(),
                    new ImageConfig.RootFs("layers", diffIds), history);
            return store.register(ImageConfigs.bytes(config), parent == null ? "" : parent.id(), tags, List.of(), null);
        }
    }

    /**
     * A build step's upper dir (moveDiffDir) becomes the layer directory itself and keeps no tar: the tar is only
     * hashed for its diffID, and is regenerated from the directory when a push or save needs it ({@link LayerTars}).
     * A container's upper dir stays the container's, so its tar is written as a blob and unpacked from there.
     */
    private Layer addLayer(CommitRequest request, Digest parentChain, Leases.Lease lease) {
        try {
            return request.moveDiffDir() ? adoptLayer(request.diffDir(), parentChain, lease)
                    : unpackLayer(request.diffDir(), parentChain, lease);
        } catch (IOException e) {
            throw new InternalException("cannot commit the changes in " + request.diffDir() + ": " + e.getMessage(), e);
        }
    }

    private Layer adoptLayer(Path upper, Digest parentChain, Leases.Lease lease) throws IOException {
        long t0 = System.nanoTime();
        // a build step's snapshot is volatile (nothing flushed it at unmount): the disk writes while the tar is hashed
        CompletableFuture<Void> flush = TreeSync.start(upper);
        LayerTars.TarDigest tar = LayerTars.digest(upper);
        long hashed = System.nanoTime();
        TreeSync.await(flush);
        LOG.debug("hashed the tar of {} ({} bytes) in {} ms, then waited {} ms for its flush to disk", upper,
                tar.size(), (hashed - t0) / 1_000_000, (System.nanoTime() - hashed) / 1_000_000);
        Digest chain = LayerStore.chainId(parentChain, tar.diffId());
        lease.add(chain);
        boolean existed = store.layers.exists(chain);
        Layer layer = store.layers.adopt(parentChain, upper, tar.diffId(), tar.size());
        synchronized (store.lock) {
            if (LayerTars.kept(store, tar.diffId()).isPresent()) {
                return layer; // an image with the same diff keeps its tar already
            }
            if (!existed) {
                // Recorded only now that the directory is in place (adopt renames it in whole).
                store.records.putLayerBlob(tar.diffId(), ImageRecords.LayerBlob.regenerated(tar.diffId(), chain));
                return layer;
            }
        }
        // The layer was there already without a kept tar (and upper was left where it is): keep its tar as a blob.
        Digest blob;
        try (ContentStore.Writer w = store.content.writer()) {
            LayerDiff.writeLayer(upper, w.out());
            w.out().flush();
            blob = w.commit(tar.diffId(), tar.size());
        }
        lease.add(blob);
        keep(blob);
        return layer;
    }

    /** The upper dir as a tar blob first (its digest is the diffID), then unpacked from that blob. */
    private Layer unpackLayer(Path upper, Digest parentChain, Leases.Lease lease) throws IOException {
        Digest blob;
        try (ContentStore.Writer w = store.content.writer()) {
            LayerDiff.writeLayer(upper, w.out());
            w.out().flush();
            blob = w.commit(null, -1);
        }
        lease.add(blob);
        Layer layer;
        try (InputStream in = store.content.open(blob)) {
            layer = store.layers.apply(parentChain, in, blob);
        }
        lease.add(layer.chainId());
        keep(blob);
        return layer;
    }

    /** Records the plain tar blob as its layer's, unless a blob of the layer is stored already (then drops it). */
    private void keep(Digest tar) throws IOException {
        synchronized (store.lock) {
            Optional<ImageRecords.LayerBlob> existing = store.records.layerBlob(tar);
            if (existing.isPresent() && store.content.exists(existing.get().blob()) && !existing.get().isRegenerated()) {
                if (!existing.get().blob().equals(tar)) {
                    store.content.delete(tar);
                }
            } else {
                store.records.putLayerBlob(tar, new ImageRecords.LayerBlob(tar, Compression.NONE.mediaType()));
            }
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

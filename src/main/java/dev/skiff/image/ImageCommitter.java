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
        if (request.diffDir() == null || request.moveDiffDir()) {
            return publish(prepare(request));
        }
        Base base = base(request);
        try (Leases.Lease lease = store.leases.open()) {
            lease.unnamed(); // the new layer's digest is known only once it is written
            base.chainIds().forEach(lease::add);
            Layer layer;
            try {
                layer = unpackLayer(request.diffDir(), base.topChain(), lease);
            } catch (IOException e) {
                throw cannotCommit(request.diffDir(), e);
            }
            return store.register(config(request, base, layer.diffId()), base.parentId(), base.tags(), List.of(), null);
        }
    }

    /**
     * The first half of a commit without a kept tar (a build step's, or one adding no layer): the layer hashed and
     * flushed to disk, the image's config made, so the image's ID is known; nothing is stored yet.
     */
    PreparedCommit prepare(CommitRequest request) {
        if (request.diffDir() != null && !request.moveDiffDir()) {
            throw new IllegalArgumentException("only a commit that moves its diff directory is prepared ahead");
        }
        Base base = base(request);
        LayerTars.TarDigest tar = null;
        if (request.diffDir() != null) {
            try {
                tar = hashLayer(request.diffDir());
            } catch (IOException e) {
                throw cannotCommit(request.diffDir(), e);
            }
        }
        byte[] config = config(request, base, tar == null ? null : tar.diffId());
        return new PreparedCommit(Digest.sha256(config).toString(), request, base.parentId(), base.tags(),
                base.chainIds(), tar == null ? null : tar.diffId(), tar == null ? 0 : tar.size(), config);
    }

    /** The second half: the layer moved into the layer store and the image recorded. */
    Image publish(PreparedCommit prepared) {
        try (Leases.Lease lease = store.leases.open()) {
            lease.unnamed(); // the new layer is recorded only once it is in place
            prepared.parentChains().forEach(lease::add);
            if (prepared.diffId() != null) {
                try {
                    adoptLayer(prepared.request().diffDir(), prepared.parentChain(), prepared.diffId(),
                            prepared.tarSize(), lease);
                } catch (IOException e) {
                    throw cannotCommit(prepared.request().diffDir(), e);
                }
            }
            return store.register(prepared.config(), prepared.parentId(), prepared.tags(), List.of(), null);
        }
    }

    /**
     * A build step taken from a cache source (see {@link ImageService#commitFromCache}): the parent's layers and
     * history, plus {@code step} as it is in the source and its layer, which the store must hold already.
     */
    Image fromCache(String parentId, ImageConfig.Config runConfig, ImageConfig.History step, String diffId) {
        Base base = base(new CommitRequest(parentId, null, runConfig, step.createdBy(), null, null, null));
        List<String> diffIds = new ArrayList<>(base.diffIds());
        List<ImageConfig.History> history = new ArrayList<>(base.history());
        history.add(step);
        try (Leases.Lease lease = store.leases.open()) {
            base.chainIds().forEach(lease::add); // held from before the check, so a prune cannot take them meanwhile
            if (diffId != null) {
                Digest chain = LayerStore.chainId(base.topChain(), Digest.parse(diffId));
                lease.add(chain);
                if (!store.layers.exists(chain)) {
                    throw new dev.skiff.errors.NotFoundException("layer " + diffId + " of the cache source is not in"
                            + " the store over " + (base.parent() == null ? "scratch" : base.parentId()));
                }
                diffIds.add(diffId);
            }
            ImageConfig config = new ImageConfig(base.platform()[1], base.platform()[0], base.variant(), step.created(),
                    step.author(), null, null, runConfig, new ImageConfig.RootFs("layers", diffIds), history);
            return store.register(ImageConfigs.bytes(config), base.parentId(), List.of(), List.of(), null);
        }
    }

    private static InternalException cannotCommit(Path diffDir, IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException gone) {
            // the JDK's message is the bare path: a container removed (docker rm -f) during its commit ends here
            return new InternalException("cannot commit the changes in " + diffDir + ": " + gone.getFile()
                    + " went away while it was read (was the container removed or its files changed during the"
                    + " commit? commit it again)", e);
        }
        return new InternalException("cannot commit the changes in " + diffDir + ": " + e.getMessage(), e);
    }

    /** What the new image inherits from its parent. */
    private record Base(Image parent, List<Reference> tags, List<String> diffIds, List<ImageConfig.History> history,
                        String[] platform, String variant, List<Digest> chainIds) {
        String parentId() {
            return parent == null ? "" : parent.id();
        }

        Digest topChain() {
            return chainIds.isEmpty() ? null : chainIds.getLast();
        }
    }

    private Base base(CommitRequest request) {
        Image parent = request.parentId() == null || request.parentId().isBlank()
                ? null : store.resolve(request.parentId());
        List<Reference> tags = request.reference() == null || request.reference().isBlank()
                ? List.of() : List.of(Reference.parseWithDefaultTag(request.reference()));
        List<String> diffIds = new ArrayList<>();
        List<ImageConfig.History> history = new ArrayList<>();
        String[] platform = ImageConfigs.hostPlatform();
        String variant = null;
        List<Digest> chains = List.of();
        if (parent != null) {
            ImageConfig pc = parent.config();
            ImageConfigs.diffIds(pc).forEach(d -> diffIds.add(d.toString()));
            if (pc.history() != null) {
                history.addAll(pc.history());
            }
            platform = new String[] {pc.os() == null ? platform[0] : pc.os(),
                    pc.architecture() == null ? platform[1] : pc.architecture()};
            variant = pc.variant();
            chains = ImageConfigs.chainIds(pc);
        }
        return new Base(parent, tags, diffIds, history, platform, variant, chains);
    }

    /** The new image's config: the parent's layers and history, plus {@code diffId} (null: no layer). */
    private static byte[] config(CommitRequest request, Base base, Digest diffId) {
        List<String> diffIds = new ArrayList<>(base.diffIds());
        if (diffId != null) {
            diffIds.add(diffId.toString());
        }
        List<ImageConfig.History> history = new ArrayList<>(base.history());
        String now = ImageConfigs.format(Instant.now());
        history.add(new ImageConfig.History(now, request.createdBy(), blankToNull(request.author()),
                blankToNull(request.comment()), request.diffDir() == null ? Boolean.TRUE : null));
        ImageConfig config = new ImageConfig(base.platform()[1], base.platform()[0], base.variant(), now,
                blankToNull(request.author()), blankToNull(request.comment()), null, request.config(),
                new ImageConfig.RootFs("layers", diffIds), history);
        return ImageConfigs.bytes(config);
    }

    /**
     * A build step's upper dir (moveDiffDir) becomes the layer directory itself and keeps no tar: the tar is only
     * hashed for its diffID, and is regenerated from the directory when a push or save needs it ({@link LayerTars}).
     * A container's upper dir stays the container's, so its tar is written as a blob and unpacked from there.
     */
    private static LayerTars.TarDigest hashLayer(Path upper) throws IOException {
        long t0 = System.nanoTime();
        // a build step's snapshot is volatile (nothing flushed it at unmount): the disk writes while the tar is hashed
        CompletableFuture<Void> flush = TreeSync.start(upper);
        LayerTars.TarDigest tar = LayerTars.digest(upper);
        long hashed = System.nanoTime();
        TreeSync.await(flush);
        LOG.debug("hashed the tar of {} ({} bytes) in {} ms, then waited {} ms for its flush to disk", upper,
                tar.size(), (hashed - t0) / 1_000_000, (System.nanoTime() - hashed) / 1_000_000);
        return tar;
    }

    private Layer adoptLayer(Path upper, Digest parentChain, Digest diffId, long tarSize, Leases.Lease lease)
            throws IOException {
        Digest chain = LayerStore.chainId(parentChain, diffId);
        lease.add(chain);
        boolean existed = store.layers.exists(chain);
        Layer layer = store.layers.adopt(parentChain, upper, diffId, tarSize);
        synchronized (store.lock) {
            if (LayerTars.kept(store, diffId).isPresent()) {
                return layer; // an image with the same diff keeps its tar already
            }
            if (!existed) {
                // Recorded only now that the directory is in place (adopt renames it in whole).
                store.records.putLayerBlob(diffId, ImageRecords.LayerBlob.regenerated(diffId, chain));
                return layer;
            }
        }
        // The layer was there already without a kept tar (and upper was left where it is): keep its tar as a blob.
        Digest blob;
        try (ContentStore.Writer w = store.content.writer()) {
            LayerDiff.writeLayer(upper, w.out());
            w.out().flush();
            blob = w.commit(diffId, tarSize);
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

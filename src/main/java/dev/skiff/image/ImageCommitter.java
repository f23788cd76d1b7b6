package dev.skiff.image;

import dev.skiff.errors.InternalException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Makes a new image from a parent and an overlay upper directory (commit, and each build step). */
final class ImageCommitter {
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

    /** The upper dir as a tar blob first (its digest is the diffID), then unpacked from that blob. */
    private Layer addLayer(CommitRequest request, Digest parentChain, Leases.Lease lease) {
        try {
            Digest blob;
            long tarSize;
            try (ContentStore.Writer w = store.content.writer()) {
                CountingOutputStream counted = new CountingOutputStream(w.out());
                LayerDiff.writeLayer(request.diffDir(), counted);
                counted.flush();
                tarSize = counted.count();
                blob = w.commit(null, -1);
            }
            lease.add(blob);
            Layer layer;
            if (request.moveDiffDir()) {
                // the blob is the uncompressed tar, so its digest is the diffID
                layer = store.layers.adopt(parentChain, request.diffDir(), blob, tarSize);
            } else {
                try (InputStream in = store.content.open(blob)) {
                    layer = store.layers.apply(parentChain, in, blob);
                }
            }
            lease.add(layer.chainId());
            synchronized (store.lock) {
                if (store.records.layerBlob(blob).isEmpty()) {
                    store.records.putLayerBlob(blob, new ImageRecords.LayerBlob(blob, Compression.NONE.mediaType()));
                }
            }
            return layer;
        } catch (IOException e) {
            throw new InternalException("cannot commit the changes in " + request.diffDir() + ": " + e.getMessage(), e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}

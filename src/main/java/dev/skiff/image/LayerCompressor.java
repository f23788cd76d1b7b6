package dev.skiff.image;

import dev.skiff.errors.InternalException;
import dev.skiff.errors.NotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Gives a push the layer as gzip: a layer kept as a plain tar (imported, loaded, committed) is compressed once and
 * the gzip blob replaces the tar in the content store, so later pushes send identical bytes under one digest and
 * save still reads it (it decompresses whatever is kept). A build step's layer, which keeps no tar, is compressed
 * from its tar regenerated and verified as it is read ({@link LayerTars}); its gzip is kept the same way.
 * Compressed layers are returned as kept. The gzip is
 * {@link ParallelGzipOutputStream}'s: on all cores, and deterministic, so the same tar always gives the same blob.
 */
final class LayerCompressor {
    private final LocalImageService store;

    LayerCompressor(LocalImageService store) {
        this.store = store;
    }

    StoredLayer gzipped(Digest diffId) {
        ImageRecords.LayerBlob kept = kept(diffId);
        try {
            if (!kept.mediaType().equals(Compression.NONE.mediaType())) {
                return stored(diffId, kept);
            }
            try (GzipLayerStream gz = stream(diffId, kept)) {
                gz.transferTo(OutputStream.nullOutputStream());
                return gz.stored();
            }
        } catch (IOException e) {
            throw new InternalException("cannot compress layer " + diffId + " for the push: " + e.getMessage(), e);
        }
    }

    /** The layer as gzip, compressed as it is read when it is kept as a plain tar; empty when kept compressed. */
    Optional<GzipLayerStream> streaming(Digest diffId) {
        ImageRecords.LayerBlob kept = kept(diffId);
        if (!kept.mediaType().equals(Compression.NONE.mediaType())) {
            return Optional.empty();
        }
        try {
            return Optional.of(stream(diffId, kept));
        } catch (IOException e) {
            throw new InternalException("cannot compress layer " + diffId + " for the push: " + e.getMessage(), e);
        }
    }

    private ImageRecords.LayerBlob kept(Digest diffId) {
        return LayerTars.kept(store, diffId)
                .orElseThrow(() -> new NotFoundException("the tar of layer " + diffId + " is not in the content store"
                        + " (pull or load the image again)"));
    }

    private GzipLayerStream stream(Digest diffId, ImageRecords.LayerBlob kept) throws IOException {
        InputStream in = LayerTars.open(store, diffId, kept);
        try {
            return new GzipLayerStream(in, store.content.writer(), gz -> replace(diffId, kept, gz));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** The gzip blob becomes the layer's, the tar goes; unless another push got there first (then its blob stays). */
    private StoredLayer replace(Digest diffId, ImageRecords.LayerBlob kept, Digest gz) throws IOException {
        ImageRecords.LayerBlob compressed = new ImageRecords.LayerBlob(gz, Compression.GZIP.mediaType());
        synchronized (store.lock) {
            ImageRecords.LayerBlob now = store.records.layerBlob(diffId).orElse(kept);
            if (!now.equals(kept)) {
                if (!now.blob().equals(gz)) {
                    store.content.delete(gz); // compressed meanwhile by another push (identical bytes are shared)
                }
                return stored(diffId, now);
            }
            store.records.putLayerBlob(diffId, compressed);
            store.content.delete(kept.blob()); // none for a regenerated tar
        }
        return stored(diffId, compressed);
    }

    private StoredLayer stored(Digest diffId, ImageRecords.LayerBlob blob) throws IOException {
        return new StoredLayer(diffId.toString(), blob.blob().toString(), blob.mediaType(), store.content.size(blob.blob()));
    }
}

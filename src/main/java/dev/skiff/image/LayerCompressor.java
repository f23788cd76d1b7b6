package dev.skiff.image;

import dev.skiff.errors.InternalException;
import dev.skiff.errors.NotFoundException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Gives a push the layer as gzip: a layer kept as a plain tar (imported, loaded, committed) is compressed once and
 * the gzip blob replaces the tar in the content store, so later pushes send identical bytes under one digest and
 * save still reads it (it decompresses whatever is kept). Compressed layers are returned as kept. The gzip is
 * {@link ParallelGzipOutputStream}'s: on all cores, and deterministic, so the same tar always gives the same blob.
 */
final class LayerCompressor {
    private final LocalImageService store;

    LayerCompressor(LocalImageService store) {
        this.store = store;
    }

    StoredLayer gzipped(Digest diffId) {
        ImageRecords.LayerBlob kept = store.records.layerBlob(diffId).filter(b -> store.content.exists(b.blob()))
                .orElseThrow(() -> new NotFoundException("the tar of layer " + diffId + " is not in the content store"
                        + " (pull or load the image again)"));
        try {
            if (!kept.mediaType().equals(Compression.NONE.mediaType())) {
                return stored(diffId, kept);
            }
            Digest gz;
            try (InputStream in = store.content.open(kept.blob()); ContentStore.Writer w = store.content.writer()) {
                ParallelGzipOutputStream out = new ParallelGzipOutputStream(w.out());
                in.transferTo(out);
                out.finish(); // not close: the writer still has to commit

                gz = w.commit(null, -1);
            }
            ImageRecords.LayerBlob compressed = new ImageRecords.LayerBlob(gz, Compression.GZIP.mediaType());
            synchronized (store.lock) {
                ImageRecords.LayerBlob now = store.records.layerBlob(diffId).orElse(kept);
                if (!now.equals(kept)) {
                    store.content.delete(gz); // compressed meanwhile by another push
                    return stored(diffId, now);
                }
                store.records.putLayerBlob(diffId, compressed);
                store.content.delete(kept.blob());
            }
            return stored(diffId, compressed);
        } catch (IOException e) {
            throw new InternalException("cannot compress layer " + diffId + " for the push: " + e.getMessage(), e);
        }
    }

    private StoredLayer stored(Digest diffId, ImageRecords.LayerBlob blob) throws IOException {
        return new StoredLayer(diffId.toString(), blob.blob().toString(), blob.mediaType(), store.content.size(blob.blob()));
    }
}

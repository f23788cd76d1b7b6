package dev.skiff.image;

import dev.skiff.sys.BulkInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A plain-tar layer read as gzip, compressed ({@link ParallelGzipOutputStream}) as the reader asks for bytes, so a
 * push can send the layer while it is being compressed instead of compressing it all first. The same bytes go into
 * the content store; when the reader reaches the end, the gzip blob is committed and replaces the tar as the layer's
 * blob (see {@link LayerCompressor}), and {@link #stored()} names it: the next push sends it as kept.
 *
 * <p>Closing the stream before its end keeps nothing.
 */
public final class GzipLayerStream extends BulkInputStream {
    private static final int CHUNK = 1 << 20;

    private final InputStream tar;
    private final ContentStore.Writer writer;
    private final Completion completion;
    private final ArrayDeque<byte[]> ready = new ArrayDeque<>();
    private final ParallelGzipOutputStream gzip;
    private final byte[] chunk = new byte[CHUNK];
    private int headPos;
    private boolean ended;
    private StoredLayer stored;

    /** What happens with the committed blob. */
    @FunctionalInterface
    interface Completion {
        StoredLayer complete(Digest gzipBlob) throws IOException;
    }

    GzipLayerStream(InputStream tar, ContentStore.Writer writer, Completion completion) {
        this.tar = tar;
        this.writer = writer;
        this.completion = completion;
        this.gzip = new ParallelGzipOutputStream(block -> {
            writer.out().write(block);
            ready.add(block);
        });
    }

    /** The layer as stored and as it was sent; only once the stream was read to its end. */
    public StoredLayer stored() {
        if (stored == null) {
            throw new IllegalStateException("the compressed layer is not complete yet");
        }
        return stored;
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (ready.isEmpty()) {
            if (ended) {
                return -1;
            }
            fill();
        }
        byte[] head = ready.peek();
        int n = Math.min(len, head.length - headPos);
        System.arraycopy(head, headPos, b, off, n);
        headPos += n;
        if (headPos == head.length) {
            ready.poll();
            headPos = 0;
            gzip.recycle(head); // written to the store and read out: free for a later block
        }
        return n;
    }

    /** Feeds the compressor until it gives output or the tar ends (then the blob is committed). */
    private void fill() throws IOException {
        int n = tar.read(chunk);
        if (n > 0) {
            gzip.write(chunk, 0, n);
            return;
        }
        if (n < 0) {
            gzip.finish();
            stored = completion.complete(writer.commit(null, -1));
            ended = true;
        }
    }

    @Override
    public void close() throws IOException {
        try (tar; writer) {
            ready.clear();
        }
    }
}

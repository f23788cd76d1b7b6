package dev.skiff.image;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.function.LongConsumer;

/** Copies everything read to a second stream (the blob being stored) and reports the running byte count. */
final class TeeInputStream extends FilterInputStream {
    private final OutputStream copy;
    private final LongConsumer progress;
    private long count;

    TeeInputStream(InputStream in, OutputStream copy, LongConsumer progress) {
        super(in);
        this.copy = copy;
        this.progress = progress;
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            copy.write(b);
            progress.accept(++count);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            copy.write(b, off, n);
            count += n;
            progress.accept(count);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipped bytes must still reach the copy, so read them instead.
        byte[] buf = new byte[(int) Math.min(n, 8192)];
        int r = read(buf, 0, buf.length);
        return Math.max(r, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public void close() {
        // The caller owns both streams.
    }
}

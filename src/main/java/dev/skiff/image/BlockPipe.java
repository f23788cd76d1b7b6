package dev.skiff.image;

import dev.skiff.sys.BulkInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Bytes from one thread to another through a few reused buffers: the writer blocks while all are full (so memory
 * stays at {@code buffers * size}), the reader sees the end after {@link #close}. A reader that gives up calls
 * {@link #abandon}: from then on writes are dropped, so the writer never waits for it.
 */
final class BlockPipe extends BulkInputStream {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<byte[]> full;
    private final BlockingQueue<Integer> lengths;
    private volatile boolean abandoned;
    private byte[] current;
    private int currentLength;
    private int pos;
    private boolean ended;

    BlockPipe(int buffers, int size) {
        free = new ArrayBlockingQueue<>(buffers);
        full = new ArrayBlockingQueue<>(buffers + 1);
        lengths = new ArrayBlockingQueue<>(buffers + 1);
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[size]);
        }
    }

    /** Writer side: copies {@code b[off, off+len)} in, waiting for a free buffer when all are taken. */
    void write(byte[] b, int off, int len) throws InterruptedIOException {
        while (len > 0 && !abandoned) {
            byte[] buf = take(free);
            if (buf == null) {
                return;
            }
            int n = Math.min(len, buf.length);
            System.arraycopy(b, off, buf, 0, n);
            lengths.add(n);
            full.add(buf);
            off += n;
            len -= n;
        }
    }

    /**
     * Writer side as a stream that writes straight into the pipe's buffers and passes each on when it is full (or
     * on flush): one copy fewer than buffering the bytes first and then {@link #write}-ing them. Once the reader has
     * abandoned the pipe it fails the writer instead of letting it produce bytes nobody reads.
     */
    OutputStream filling() {
        return new Filling();
    }

    /** Writer side: no more bytes. */
    void close(boolean complete) {
        lengths.add(complete ? 0 : -1);
        full.add(END);
    }

    /** Reader side: stop; the writer's further bytes are dropped. */
    void abandon() {
        abandoned = true;
        free.offer(new byte[1]); // wakes a writer waiting for a buffer
    }

    // Waits for a free buffer; null once the reader has abandoned the pipe.
    private byte[] take(BlockingQueue<byte[]> q) throws InterruptedIOException {
        try {
            while (!abandoned) {
                byte[] b = q.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (b != null) {
                    return abandoned ? null : b;
                }
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while passing bytes on");
        }
    }

    /** Where {@link #drainTo} hands each buffer; the bytes are only valid during the call. */
    interface BlockSink {
        void accept(byte[] b, int off, int len) throws IOException;
    }

    /**
     * Reader side without a copy: hands every buffer the writer passes to {@code sink} in turn, in place, until the
     * end; fails as {@link #read} does when the writer ended incomplete.
     */
    void drainTo(BlockSink sink) throws IOException {
        while (refill()) {
            sink.accept(current, pos, currentLength - pos);
            pos = currentLength;
        }
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!refill()) {
            return -1;
        }
        int n = Math.min(len, currentLength - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    /** Makes {@code current} hold unread bytes, waiting for the writer; false at the end. */
    private boolean refill() throws IOException {
        while (current == null || pos == currentLength) {
            if (ended) {
                return false;
            }
            if (current != null) {
                free.add(current);
                current = null;
            }
            try {
                byte[] next = full.take();
                int n = lengths.take();
                if (next == END) {
                    ended = true;
                    if (n < 0) {
                        throw new IOException("the archive entry was cut short");
                    }
                    return false;
                }
                current = next;
                currentLength = n;
                pos = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading");
            }
        }
        return true;
    }

    /** {@link #filling}'s stream: fills a free buffer in place, passes it on when full. */
    private final class Filling extends OutputStream {
        private byte[] buf;
        private int len;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            while (n > 0) {
                if (buf == null) {
                    buf = take(free);
                    if (buf == null) {
                        throw new IOException("the reader of the pipe stopped");
                    }
                }
                int k = Math.min(n, buf.length - len);
                System.arraycopy(b, off, buf, len, k);
                len += k;
                off += k;
                n -= k;
                if (len == buf.length) {
                    pass();
                }
            }
        }

        @Override
        public void flush() {
            if (len > 0) {
                pass();
            }
        }

        private void pass() {
            lengths.add(len);
            full.add(buf);
            buf = null;
            len = 0;
        }
    }
}

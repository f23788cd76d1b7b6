package dev.skiff.sys;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Writes a large file to its channel and starts its way to disk while it is still being written: after every
 * {@link #STEP} bytes a background thread flushes what is there so far (fdatasync), at most one flush at a time.
 * The fsync that makes the file durable (before its rename, or the syncfs of an unpacked tree) then finds little
 * left to write. Without this the disk idles while a layer streams in and the writer then waits for all of it at
 * the end: a 200 MB blob's fsync took ~90 ms and the syncfs after a 420 MB load ~200 ms, on the critical path.
 *
 * <p>Durability is unchanged: the early flushes only move work forward; the caller still forces the file (or the
 * filesystem) before the file becomes visible. {@link #awaitFlush} must be called before the channel is forced
 * for good or closed, so no flush runs on a closed channel.
 */
public final class WritebackOutputStream extends OutputStream {
    /** Bytes between flushes: large enough that a flush is worth a system call and a thread hop. */
    public static final long STEP = 16L << 20;
    // Platform threads: fdatasync blocks in the kernel and would pin a virtual thread's carrier.
    private static final ExecutorService FLUSHERS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("writeback-", 0).factory());

    private final FileChannel channel;
    private long unflushed;
    private Future<?> flushing;

    public WritebackOutputStream(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, off, len);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
        unflushed += len;
        if (unflushed >= STEP && (flushing == null || flushing.isDone())) {
            unflushed = 0;
            flushing = FLUSHERS.submit(() -> {
                try {
                    channel.force(false);
                } catch (IOException e) {
                    // an early flush is only a head start: the caller's own fsync reports what is wrong
                }
            });
        }
    }

    /** Waits for a flush in flight; call before forcing or closing the channel. */
    public void awaitFlush() throws IOException {
        Future<?> f = flushing;
        flushing = null;
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while a file was being flushed to disk");
        } catch (ExecutionException e) {
            throw new IOException("flushing a file to disk failed: " + e.getCause(), e.getCause());
        }
    }

    /** Waits for a flush in flight and closes the channel. */
    @Override
    public void close() throws IOException {
        try {
            awaitFlush();
        } finally {
            channel.close();
        }
    }
}

package dev.skiff.runtime.runc;

import dev.skiff.runtime.AttachSession;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands output chunks from reader threads to whoever calls {@link AttachSession#readOutput}. The bounded
 * queue gives back-pressure (a slow client slows the reader, not the heap); readers that block in native
 * code run on platform threads, so the caller may be a virtual thread without pinning a carrier. Bulk output
 * lingers a millisecond per burst so it is flushed in larger pieces (see {@link #read}).
 */
final class OutputQueue {
    private record Chunk(int stream, byte[] data, IOException error) {
    }

    private static final Chunk END = new Chunk(0, null, null);
    private static final int MAX_BURST = 64;
    /** A packet this large is a share of bulk output: conmon reads the container's pipe 8 KiB at a time. */
    static final int BULK_PACKET = 4096;
    private static final long LINGER_NANOS = 1_000_000;
    private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(64);
    private int openProducers;

    OutputQueue(int producers) {
        this.openProducers = producers;
    }

    /** Called by a producer for each chunk; blocks while the queue is full. */
    void put(int stream, byte[] data, int off, int len) throws InterruptedException {
        byte[] copy = new byte[len];
        System.arraycopy(data, off, copy, 0, len);
        queue.put(new Chunk(stream, copy, null));
    }

    /** Called once by each producer when its source reached EOF (or failed). */
    void finish(IOException error) {
        try {
            queue.put(error == null ? END : new Chunk(0, null, error));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Blocks for the next chunk, then also hands over every chunk already waiting (up to a bound), so a
     * caller that flushes after each call flushes once per burst rather than once per packet; false once
     * every producer finished.
     */
    boolean read(AttachSession.OutputSink sink) throws IOException {
        while (true) {
            synchronized (this) {
                if (openProducers == 0 && queue.isEmpty()) {
                    return false;
                }
            }
            Chunk c;
            try {
                c = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for container output");
            }
            if (c.data != null) {
                sink.accept(c.stream, c.data, 0, c.data.length);
                int last = drainReady(sink, c.data.length);
                if (last >= BULK_PACKET) {
                    // Bulk output (conmon read a full buffer, so more is queued behind it in the pipe): let a
                    // millisecond's worth gather, so the caller flushes, and wakes the event loop, once per
                    // several packets instead of per packet; small, interactive writes go out at once.
                    java.util.concurrent.locks.LockSupport.parkNanos(LINGER_NANOS);
                    drainReady(sink, last);
                }
                return true;
            }
            synchronized (this) {
                openProducers--;
            }
            if (c.error != null) {
                throw c.error;
            }
        }
    }

    /**
     * Delivers the data chunks that are already queued, stopping at an end marker (left for the next read);
     * returns the size of the last chunk delivered ({@code last} when none was).
     */
    private int drainReady(AttachSession.OutputSink sink, int last) throws IOException {
        for (int i = 0; i < MAX_BURST; i++) {
            Chunk next = queue.peek();
            if (next == null || next.data == null) {
                return last;
            }
            queue.poll();
            sink.accept(next.stream, next.data, 0, next.data.length);
            last = next.data.length;
        }
        return last;
    }

    /** Empties the queue so producers blocked on a full queue can see they should stop. */
    void drain() {
        queue.clear();
    }
}

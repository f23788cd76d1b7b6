package dev.skiff.runtime.runc;

import dev.skiff.runtime.AttachSession;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Hands output chunks from reader threads to whoever calls {@link AttachSession#readOutput}. The bounded
 * queue gives back-pressure (a slow client slows the reader, not the heap); readers that block in native
 * code run on platform threads, so the caller may be a virtual thread without pinning a carrier.
 */
final class OutputQueue {
    private record Chunk(int stream, byte[] data, IOException error) {
    }

    private static final Chunk END = new Chunk(0, null, null);
    private static final int MAX_BURST = 64;
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
                drainReady(sink);
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

    /** Delivers the data chunks that are already queued, stopping at an end marker (left for the next read). */
    private void drainReady(AttachSession.OutputSink sink) throws IOException {
        for (int i = 0; i < MAX_BURST; i++) {
            Chunk next = queue.peek();
            if (next == null || next.data == null) {
                return;
            }
            queue.poll();
            sink.accept(next.stream, next.data, 0, next.data.length);
        }
    }

    /** Empties the queue so producers blocked on a full queue can see they should stop. */
    void drain() {
        queue.clear();
    }
}

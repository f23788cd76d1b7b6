package dev.skiff.daemon;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives heap back after a burst. The serial collector shrinks the heap only in a full collection, and a daemon
 * that streamed a large log or pulled an image may see none for hours, holding memory it no longer uses. So,
 * every half minute, when the committed heap is large and mostly empty, one full collection lets the heap
 * shrink to MaxHeapFreeRatio (bin/skiffd) above what is live. A small heap is left alone: the pause buys nothing.
 */
final class IdleHeap implements AutoCloseable {
    private static final long FLOOR = 48L << 20;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-heap");
        t.setDaemon(true);
        return t;
    });

    static IdleHeap start() {
        IdleHeap h = new IdleHeap();
        h.timer.scheduleWithFixedDelay(h::check, 30, 30, TimeUnit.SECONDS);
        return h;
    }

    private void check() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        MemoryUsage heap = memory.getHeapMemoryUsage();
        if (shouldCollect(heap.getCommitted(), heap.getUsed())) {
            System.gc();
        }
    }

    /** A committed heap above the floor of which less than half is in use (live data plus garbage). */
    static boolean shouldCollect(long committed, long used) {
        return committed > FLOOR && used < committed / 2;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

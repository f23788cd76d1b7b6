package dev.skiff.daemon;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gives heap back after a burst. The serial collector shrinks the heap only in a full collection, and a daemon
 * that streamed a large log, built an image or ran a batch of containers may see none for hours, holding memory
 * it no longer uses: its old generation fills with what the burst promoted and then died there. So, looking every
 * ten seconds, it runs one full collection, letting the heap shrink to MaxHeapFreeRatio above what is live (in
 * one step: bin/skiffd turns ShrinkHeapInSteps off), when either
 * <ul>
 *   <li>the committed heap is large and mostly empty, or</li>
 *   <li>the daemon has gone quiet after some work: no young collection since the last look (little is being
 *       allocated), some since the last full one (there was a burst), and more heap committed than the floor.
 *       A busy daemon never qualifies (it collects young garbage all along), an idle one once per burst.</li>
 * </ul>
 * A pause on this small a heap is a few milliseconds.
 */
final class IdleHeap implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(IdleHeap.class);
    /** How often it looks: two MXBean reads, nothing more unless it collects. */
    private static final int LOOK_SECONDS = 10;
    private static final long LARGE = 48L << 20;
    /** Below this much committed heap a collection buys too little to be worth its pause. */
    private static final long FLOOR = 12L << 20;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "idle-heap");
        t.setDaemon(true);
        return t;
    });
    private long youngAtLastLook = -1;
    private long youngAtLastCollection;

    static IdleHeap start() {
        IdleHeap h = new IdleHeap();
        h.timer.scheduleWithFixedDelay(() -> {
            try {
                h.check();
            } catch (RuntimeException | Error e) { // a periodic task that throws is never run again
                LOG.warn("idle heap check: {}", e.toString());
            }
        }, LOOK_SECONDS, LOOK_SECONDS, TimeUnit.SECONDS);
        return h;
    }

    private void check() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        long young = youngCollections();
        if (shouldCollect(heap.getCommitted(), heap.getUsed())
                || quietAfterBurst(heap.getCommitted(), young, youngAtLastLook, youngAtLastCollection)) {
            System.gc();
            young = youngCollections();
            youngAtLastCollection = young;
            if (LOG.isDebugEnabled()) {
                LOG.debug("idle heap: a full collection took the committed heap from {} to {} KiB",
                        heap.getCommitted() >> 10,
                        ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() >> 10);
            }
        }
        youngAtLastLook = young;
    }

    /** Young-generation collections so far: every collector's count but the full one's (serial: "Copy"). */
    private static long youngCollections() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!gc.getName().equals("MarkSweepCompact") && gc.getCollectionCount() > 0) {
                n += gc.getCollectionCount();
            }
        }
        return n;
    }

    /** A committed heap above the large mark of which less than half is in use (live data plus garbage). */
    static boolean shouldCollect(long committed, long used) {
        return committed > LARGE && used < committed / 2;
    }

    /**
     * Quiet after a burst: no young collection since the last look, at least one since the last full collection,
     * and more committed than the floor.
     */
    static boolean quietAfterBurst(long committed, long young, long youngAtLastLook, long youngAtLastCollection) {
        return youngAtLastLook >= 0 && young == youngAtLastLook && young > youngAtLastCollection && committed > FLOOR;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

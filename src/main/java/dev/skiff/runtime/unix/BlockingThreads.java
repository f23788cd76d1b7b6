package dev.skiff.runtime.unix;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Platform threads, reused, for calls that block in the kernel where a virtual thread would hold its carrier: a
 * read of a pipe (FileInputStream does not hand its carrier back, unlike the JDK's own Process streams), waitpid,
 * recv through FFM. On a 2-core host the scheduler has two carriers, so two such reads on virtual threads stall
 * every request until one returns.
 */
public final class BlockingThreads {
    /** As a cached pool, but an idle thread ends after 10 s, not 60: a burst of starts leaves no stacks behind. */
    private static final ExecutorService POOL = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> Thread.ofPlatform().daemon().name("blocking-io").stackSize(256 * 1024)
                    .unstarted(r));

    private BlockingThreads() {
    }

    /** Runs {@code task} on a pooled platform thread. */
    public static void start(Runnable task) {
        POOL.execute(task);
    }
}

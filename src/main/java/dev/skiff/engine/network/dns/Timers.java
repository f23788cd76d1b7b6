package dev.skiff.engine.network.dns;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Deadlines for the server's loop thread (upstream timeouts, idle TCP clients): the loop sleeps in select()
 * until the next one is due. Cancelling only marks a timer; it leaves the queue when its time comes.
 * Not thread-safe: the loop thread owns it.
 */
final class Timers {
    /** One deadline; {@link #cancel} makes it a no-op. */
    static final class Timer {
        private final long dueNanos;
        private final Runnable action;
        private boolean cancelled;

        private Timer(long dueNanos, Runnable action) {
            this.dueNanos = dueNanos;
            this.action = action;
        }

        void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Timer> queue = new PriorityQueue<>(Comparator.comparingLong((Timer t) -> t.dueNanos));

    Timer schedule(long delayMillis, Runnable action) {
        Timer timer = new Timer(System.nanoTime() + delayMillis * 1_000_000L, action);
        queue.add(timer);
        return timer;
    }

    /** Milliseconds until the next live timer: -1 when there is none, 0 when one is due. */
    long millisToNext() {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        if (queue.isEmpty()) {
            return -1;
        }
        long nanos = queue.peek().dueNanos - System.nanoTime();
        return nanos <= 0 ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /** Runs every timer that is due (actions may schedule new ones). */
    void runDue() {
        long now = System.nanoTime();
        while (!queue.isEmpty() && queue.peek().dueNanos - now <= 0) {
            Timer timer = queue.poll();
            if (!timer.cancelled) {
                timer.cancelled = true;
                try {
                    timer.action.run();
                } catch (RuntimeException e) { // one broken exchange must not stop the loop
                    org.slf4j.LoggerFactory.getLogger(Timers.class).warn("DNS: a timer failed", e);
                }
            }
        }
    }

    int size() {
        return queue.size();
    }
}

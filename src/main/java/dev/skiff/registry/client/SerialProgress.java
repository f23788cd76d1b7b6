package dev.skiff.registry.client;

import dev.skiff.image.Progress;
import java.util.HashMap;
import java.util.Map;

/**
 * Progress from parallel layer transfers funnelled into one stream: one update at a time, and byte progress per
 * layer at most every 100 ms (the end of a layer always passes).
 */
final class SerialProgress implements Progress {
    private static final long INTERVAL_NANOS = 100_000_000L;

    private final Progress target;
    private final Map<String, Long> last = new HashMap<>();

    SerialProgress(Progress target) {
        this.target = target;
    }

    @Override
    public synchronized void update(String id, String status, long current, long total) {
        if (current >= 0 && current != total) {
            long now = System.nanoTime();
            Long before = last.get(id);
            if (before != null && now - before < INTERVAL_NANOS) {
                return;
            }
            last.put(id, now);
        }
        target.update(id, status, current, total);
    }
}

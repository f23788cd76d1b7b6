package dev.skiff.engine;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link LogRotation#sync()} when conmon renames a new log file into a running container's directory.
 * One WatchService (one inotify instance) and one thread serve every container; a container costs one watch.
 */
final class LogRotationWatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LogRotationWatcher.class);

    private final WatchService watcher;
    private final Map<WatchKey, LogRotation> byKey = new ConcurrentHashMap<>();
    private final Map<String, WatchKey> byId = new ConcurrentHashMap<>();
    private final Thread thread;

    LogRotationWatcher() throws IOException {
        watcher = FileSystems.getDefault().newWatchService();
        thread = Thread.ofPlatform().daemon().name("skiff-log-rotation").start(this::loop);
    }

    /** Watches a started container's log; replaces an earlier watch of the same container. */
    void watch(String id, Path log, int maxFiles) {
        unwatch(id);
        try {
            WatchKey key = log.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            LogRotation rotation = new LogRotation(log, maxFiles);
            byKey.put(key, rotation);
            byId.put(id, key);
            rotation.sync(); // a rotation before the watch was in place
        } catch (IOException e) {
            LOG.warn("cannot watch the log of {} for rotation: {}", id.substring(0, 12), e.toString());
        }
    }

    void unwatch(String id) {
        WatchKey key = byId.remove(id);
        if (key != null) {
            key.cancel();
            byKey.remove(key);
        }
    }

    private void loop() {
        while (true) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            try {
                LogRotation rotation = byKey.get(key);
                for (WatchEvent<?> ev : key.pollEvents()) {
                    if (rotation != null && (ev.kind() == StandardWatchEventKinds.OVERFLOW
                            || (ev.context() instanceof Path p && rotation.isLogName(p)))) {
                        rotation.sync();
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                // one container's log (or an OutOfMemoryError from elsewhere) must not end every container's rotation
                LOG.warn("log rotation: {}", e.toString());
            } finally {
                key.reset();
            }
        }
    }

    @Override
    public void close() throws IOException {
        watcher.close();
        thread.interrupt();
    }
}

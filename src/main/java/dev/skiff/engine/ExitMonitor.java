package dev.skiff.engine;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices container exits: conmon writes a file named by the container ID into the runtime's exit directory
 * when PID 1 exits. One inotify watch (WatchService) covers every container, so a running container costs
 * no thread; a sweep every few seconds checks the running ones anyway in case an event was lost (overflow).
 */
final class ExitMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExitMonitor.class);
    private static final long SWEEP_MILLIS = 5000;

    private final Path exitDir;
    private final Consumer<String> onExit;
    private final Supplier<Iterable<String>> running;
    private final java.util.function.Predicate<String> monitorGone;
    private final WatchService watcher;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * @param onExit  called on a fresh virtual thread with the ID of a container whose exit file appeared
     * @param running the IDs the sweep checks (containers the daemon thinks are running)
     */
    ExitMonitor(Path exitDir, Consumer<String> onExit, Supplier<Iterable<String>> running) throws IOException {
        this(exitDir, onExit, running, id -> false);
    }

    /**
     * @param monitorGone whether a running container's monitor died without reporting an exit (conmon killed):
     *                    the sweep hands such a container to {@code onExit} too, as nothing else ever will
     */
    ExitMonitor(Path exitDir, Consumer<String> onExit, Supplier<Iterable<String>> running,
                java.util.function.Predicate<String> monitorGone) throws IOException {
        this.exitDir = exitDir;
        this.onExit = onExit;
        this.running = running;
        this.monitorGone = monitorGone;
        Files.createDirectories(exitDir);
        this.watcher = FileSystems.getDefault().newWatchService();
        exitDir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.OVERFLOW);
        this.thread = Thread.ofPlatform().daemon().name("skiff-exit-monitor").start(this::loop);
    }

    private void loop() {
        long lastSweep = 0;
        while (!closed) {
            try {
                // first of all, before any wait: exits between reconcile() and the watch (a container a commit's
                // freeze held as the daemon died dies as it is thawed) would otherwise be seen a sweep later
                if (System.currentTimeMillis() - lastSweep >= SWEEP_MILLIS) {
                    lastSweep = System.currentTimeMillis();
                    for (String id : running.get()) {
                        if (Files.exists(exitDir.resolve(id)) || monitorGone.test(id)) {
                            dispatch(id);
                        }
                    }
                }
                WatchKey key = watcher.poll(SWEEP_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    for (WatchEvent<?> ev : key.pollEvents()) {
                        if (ev.kind() == StandardWatchEventKinds.OVERFLOW) {
                            lastSweep = 0;
                        } else if (ev.context() instanceof Path p) {
                            dispatch(p.getFileName().toString());
                        }
                    }
                    key.reset();
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            } catch (RuntimeException | Error e) {
                // an OutOfMemoryError another request caused can strike here too: this thread must outlive it, or
                // no exit is recorded until the daemon restarts
                try {
                    LOG.warn("exit monitor: {}", e.toString());
                } catch (Throwable again) {
                    // the heap is still short (the message could not be made): nothing said, the loop goes on
                }
                lastSweep = 0;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private void dispatch(String name) {
        if (name.length() == 64 && !name.startsWith(".")) {
            Thread.ofVirtual().name("exit-" + name.substring(0, 12)).start(() -> onExit.accept(name));
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        watcher.close();
        thread.interrupt();
    }
}

package dev.skiff.engine;

import dev.skiff.errors.SkiffException;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ExitStatus;
import dev.skiff.runtime.Snapshotter;
import dev.skiff.sys.Signals;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What happens when PID 1 exits: the exit is recorded, the runtime state and the rootfs mount are released,
 * "die" is published, the network is released, waiters are woken, then the restart policy (after its backoff) or
 * --rm applies.
 */
final class ExitHandler implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ExitHandler.class);
    /**
     * Runs each exit's unmounts beside its runtime delete. Platform threads: umount(2) is a native call that can
     * take milliseconds (an overlay syncs its upper filesystem) and would hold a virtual thread's carrier, and
     * so every other virtual thread, all that time when many containers exit at once (rm -f of many).
     */
    private static final ExecutorService UNMOUNTS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("exit-unmount-", 0).factory());
    private final ContainerService service;
    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final Snapshotter snapshotter;
    private final EventBus events;
    private final Waiters waiters;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("skiff-restart-timer").factory());
    private final Map<String, ScheduledFuture<?>> pendingRestarts = new ConcurrentHashMap<>();
    private final Map<String, Duration> lastDelay = new ConcurrentHashMap<>();
    private final Set<String> removing = ConcurrentHashMap.newKeySet();
    /** Containers in a `docker restart`: their exit is not the end a --rm container is removed at (dockerd's too). */
    private final Set<String> restartingByHand = ConcurrentHashMap.newKeySet();

    ExitHandler(ContainerService service, ContainerStore store, ContainerRuntime runtime, Snapshotter snapshotter,
                EventBus events, Waiters waiters) {
        this.service = service;
        this.store = store;
        this.runtime = runtime;
        this.snapshotter = snapshotter;
        this.events = events;
        this.waiters = waiters;
    }

    /** Looks for an exit of {@code id} and handles it; nothing happens when it still runs or was handled. */
    void check(String id) {
        if (store.get(id).isEmpty()) {
            return;
        }
        boolean autoRemove;
        synchronized (service.lock(id)) {
            Container c = store.get(id).orElse(null);
            if (c == null || !c.state().hasProcess()) {
                return;
            }
            Optional<ExitStatus> status;
            try {
                status = runtime.exitCode(id);
            } catch (RuntimeException e) {
                return; // a half-written exit file: the next inotify event or the sweep comes back
            }
            String lost = "";
            if (status.isEmpty()) {
                if (runtime.monitorAlive(id)) {
                    return;
                }
                status = runtime.exitCode(id); // conmon writes its exit file before it exits
                if (status.isEmpty()) {
                    lost = monitorLost(c);
                    status = Optional.of(new ExitStatus(255, Instant.now(), false));
                }
            }
            try {
                autoRemove = record(c, status.get(), lost);
            } catch (SkiffException | IllegalStateException e) {
                // nothing was recorded and conmon's exit file stays: the exit monitor's next sweep tries again
                LOG.warn("recording the exit of container {} failed, to be tried again in a few seconds: {}",
                        c.shortName(), e.getMessage());
                return;
            }
        }
        if (autoRemove) {
            removeAfterExit(id);
        }
    }

    /**
     * Records an exit (lock held). Returns whether the container should now be auto-removed, which the caller
     * does after releasing the lock.
     */
    boolean record(Container c, ExitStatus status) {
        return record(c, status, "");
    }

    /**
     * A running container whose conmon is gone without an exit file (killed: the OOM killer, a person): nothing
     * would ever report its end, and a stop waited out its SIGKILL and failed. Ended as containerd ends a task whose
     * shim died: what is left of it is killed and removed from the runtime, and it exits with 255 (its restart
     * policy applies). Returns the error its state shows.
     */
    private String monitorLost(Container c) {
        LOG.warn("container {}: its monitor (conmon) is gone without reporting an exit; ending it with code 255",
                c.shortName());
        Starter.quietly(() -> runtime.kill(c.id(), Signals.SIGKILL, true));
        Starter.quietly(() -> runtime.delete(c.id(), true));
        return "container monitor is gone (conmon was killed); the container was ended with it";
    }

    /** @param error what the exited state's Error says ("" for none) */
    boolean record(Container c, ExitStatus status, String error) {
        long t0 = System.nanoTime();
        String finished = Times.format(status.finishedAt() != null ? status.finishedAt() : Instant.now());
        boolean beingRemoved = removing.contains(c.id());
        boolean restart = !beingRemoved
                && c.restartPolicy().shouldRestart(status.exitCode(), c.restartCount(), c.manuallyStopped());
        ContainerState s = c.state();
        Container after = c.withMonitorPid(0).withState((restart
                ? s.restartingAfter(status.exitCode(), status.oomKilled(), finished)
                : s.exited(status.exitCode(), status.oomKilled(), finished)).withError(error));
        // The record first: the runtime's delete takes conmon's exit file with it, so a record that fails after it
        // (a full disk) lost the exit for good, and the container showed running with nothing left to stop. Failing
        // here, the file stays and the monitor's sweep brings the exit back.
        store.put(after);
        long tRecorded = System.nanoTime();
        // The runtime's delete (cgroups and runc state) and the unmounts are independent and each
        // takes milliseconds: do them at the same time.
        CompletableFuture<Long> unmounted = CompletableFuture.supplyAsync(() -> {
            Starter.quietly(() -> snapshotter.unmount(c.id()));
            Starter.quietly(() -> service.mounts().unmount(c.id()));
            service.starter().releaseShm(c.id());
            return System.nanoTime();
        }, UNMOUNTS);
        Starter.quietly(() -> runtime.delete(c.id(), false));
        long tDeleted = System.nanoTime();
        long tUnmounted = unmounted.join();
        service.starter().stopWatchingLog(c.id());
        service.shipping().exited(c.id());
        if (status.oomKilled()) {
            events.publishContainer(c, "oom", Map.of());
        }
        events.publishContainer(c, "die", Map.of("exitCode", Integer.toString(status.exitCode()),
                "execDuration", Long.toString(service.uptime(c).toSeconds())));
        // the network goes after "die", as dockerd orders their events (its disconnects follow the die), and before
        // the waiters wake: a docker run --rm that returns finds the container's addresses free
        long tBoth = System.nanoTime();
        Starter.quietly(() -> service.networking().detach(c.id()));
        Starter.quietly(() -> service.networking().predefinedNetworkEvent("disconnect", c));
        Starter.quietly(() -> service.ports().release(c.id()));
        if (LOG.isDebugEnabled()) {
            LOG.debug("exit of {}: record {} ms, then runtime delete {} ms, unmount {} ms (at the same time), network {} ms",
                    c.shortName(), (tRecorded - t0) / 1_000_000, (tDeleted - tRecorded) / 1_000_000,
                    (tUnmounted - tRecorded) / 1_000_000, (System.nanoTime() - tBoth) / 1_000_000);
        }
        waiters.exited(c.id(), status.exitCode());
        if (restart) {
            Duration uptime = service.uptime(c);
            Duration delay = RestartPolicy.nextDelay(lastDelay.get(c.id()), uptime);
            lastDelay.put(c.id(), delay);
            pendingRestarts.put(c.id(), timer.schedule(
                    () -> Thread.ofVirtual().start(() -> {
                        pendingRestarts.remove(c.id());
                        service.restartByPolicy(c.id());
                    }),
                    delay.toMillis(), TimeUnit.MILLISECONDS));
            return false;
        }
        lastDelay.remove(c.id());
        return c.autoRemove() && !beingRemoved && !restartingByHand.contains(c.id());
    }

    /** A `docker restart` of {@code id} stops it now and starts it again: its exit keeps a --rm container. */
    void beginManualRestart(String id) {
        restartingByHand.add(id);
    }

    void endManualRestart(String id) {
        restartingByHand.remove(id);
    }

    void removeAfterExit(String id) {
        Thread.ofVirtual().name("autoremove-" + id.substring(0, 12)).start(() -> {
            try {
                service.remove(id, true, true); // --rm takes the anonymous volumes along, as Docker's does
            } catch (SkiffException e) {
                // already removed by the user, or a removal is in progress: nothing left to do
            }
        });
    }

    void cancelRestart(String id) {
        ScheduledFuture<?> f = pendingRestarts.remove(id);
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Marks a removal in progress; false when one already is. */
    boolean beginRemoval(String id) {
        return removing.add(id);
    }

    void endRemoval(String id) {
        removing.remove(id);
        lastDelay.remove(id);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

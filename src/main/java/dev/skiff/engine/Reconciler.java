package dev.skiff.engine;

import dev.skiff.errors.SkiffException;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ExitStatus;
import dev.skiff.runtime.Snapshotter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the database and the machine back in line at daemon start. Containers keep running under conmon while
 * skiffd is down, so for every container the database calls live: a live monitor means re-adopt it; an exit
 * file means it exited meanwhile (record it, then restart policy or --rm as usual); neither means it is lost
 * (exit code 255, runtime state cleaned); a --rm container that is not running is removed. Leftovers of half-made
 * containers are removed, and restart policies that apply at daemon start (always, unless-stopped) start their
 * containers.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    /** What to do with one container the database holds. */
    enum Decision { ADOPT, RECORD_EXIT, LOST, UNMOUNT }

    private final ContainerService service;
    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final Snapshotter snapshotter;
    private final EngineOptions options;

    Reconciler(ContainerService service, ContainerStore store, ContainerRuntime runtime, Snapshotter snapshotter,
               EngineOptions options) {
        this.service = service;
        this.store = store;
        this.runtime = runtime;
        this.snapshotter = snapshotter;
        this.options = options;
    }

    /** The decision for one container: an exit file wins over a monitor that has not gone away yet. */
    static Decision decide(ContainerState state, boolean monitorAlive, boolean exitRecorded) {
        if (!state.hasProcess()) {
            return Decision.UNMOUNT;
        }
        if (exitRecorded) {
            return Decision.RECORD_EXIT;
        }
        return monitorAlive ? Decision.ADOPT : Decision.LOST;
    }

    /** Whether a stopped container starts again with the daemon (Docker's restore rules). */
    static boolean startsWithDaemon(Container c) {
        ContainerState s = c.state();
        if (s.status().equals(ContainerState.CREATED) || s.hasProcess()) {
            return false;
        }
        return switch (c.restartPolicy().name()) {
            case "always" -> true;
            case "unless-stopped" -> !c.manuallyStopped();
            default -> false;
        };
    }

    void run() {
        runtime.cleanUpAfterCrash();
        removeOrphanDirs();
        List<String> autoRemove = new ArrayList<>();
        for (Container c : store.all()) {
            try {
                reconcileOne(c, autoRemove);
            } catch (SkiffException e) {
                LOG.warn("reconcile {}: {}", c.shortName(), e.getMessage());
            }
        }
        autoRemove.forEach(service.exitHandler()::removeAfterExit);
        for (Container c : store.all()) {
            Container now = store.get(c.id()).orElse(null);
            if (now != null && startsWithDaemon(now)) {
                try {
                    service.start(now.id());
                } catch (SkiffException e) {
                    LOG.warn("restart policy {} of {} at daemon start: {}", now.restartPolicy().name(), now.shortName(), e.getMessage());
                }
            }
        }
    }

    private void reconcileOne(Container c, List<String> autoRemove) {
        synchronized (service.lock(c.id())) {
            if (c.state().restarting()) {
                // the pending restart died with the old daemon: record it as exited, the daemon-start rules apply
                ContainerState s = c.state();
                store.put(c.withState(s.exited(s.exitCode(), s.oomKilled(), s.finishedAt())));
                return;
            }
            Optional<ExitStatus> exit = c.state().hasProcess() ? runtime.exitCode(c.id()) : Optional.empty();
            Decision d = decide(c.state(), c.state().hasProcess() && runtime.monitorAlive(c.id()), exit.isPresent());
            switch (d) {
                case ADOPT -> {
                    LOG.info("re-adopted running container {}", c.shortName());
                    matchFreezer(c);
                    // started by a version that wrote them 0600: the mounted inodes themselves, so the fix is live
                    EtcFiles.in(service.options().containerDir(c.id())).makeReadable();
                }
                case RECORD_EXIT -> {
                    if (service.exitHandler().record(c, exit.get())) {
                        autoRemove.add(c.id());
                    }
                }
                case LOST -> {
                    Starter.quietly(() -> runtime.delete(c.id(), true));
                    Starter.quietly(() -> snapshotter.unmount(c.id()));
                    service.starter().releaseShm(c.id());
                    ContainerState s = c.state().exited(255, false, Times.format(Instant.now()));
                    store.put(c.withMonitorPid(0).withState(new ContainerState(s.status(), false, false, false, false,
                            false, 0, 255, "container monitor is gone (the host rebooted or conmon was killed)",
                            s.startedAt(), s.finishedAt())));
                    if (c.autoRemove()) {
                        autoRemove.add(c.id());
                    }
                }
                case UNMOUNT -> {
                    // The daemon died in the middle of a start (between the runtime's create and the running
                    // record): runc's container (its init waiting for the start, or started), its conmon and its
                    // network namespace outlived a record that still says created. Left so, it held its address,
                    // which the network's reconcile frees: the next container got the same one (two MACs answered
                    // ARP for it). Ended here; the container stays created, to be started again.
                    if (runtime.state(c.id()).isPresent()) {
                        LOG.warn("container {}: the runtime still has it from a start the daemon died during; removing"
                                + " it there (the container stays {})", c.shortName(), c.state().status());
                        Starter.quietly(() -> runtime.delete(c.id(), true));
                    }
                    service.starter().releaseShm(c.id());
                    if (snapshotter.isMounted(c.id())) {
                        Starter.quietly(() -> snapshotter.unmount(c.id()));
                    }
                    // a --rm container that is not running goes, as dockerd's restore removes it: the daemon died
                    // between `docker run --rm`'s create and start, or before the removal after its exit
                    if (c.autoRemove()) {
                        autoRemove.add(c.id());
                    }
                }
            }
        }
    }

    /**
     * A frozen container the records call running was frozen by a commit, or by a pause whose record never
     * landed, when the daemon died: the commit is gone and the pause never answered, so it is thawed (left
     * frozen it would ignore every stop). One recorded paused but not frozen had its unpause cut short after
     * the thaw: recorded as running.
     */
    private void matchFreezer(Container c) {
        boolean frozen = runtime.frozen(c.id());
        if (frozen && !c.state().paused()) {
            LOG.warn("container {} was left frozen (a commit or pause the daemon died during): thawing it", c.shortName());
            Starter.quietly(() -> runtime.resume(c.id()));
        } else if (!frozen && c.state().paused()) {
            LOG.warn("container {} is recorded paused but runs (an unpause the daemon died during): recorded as running",
                    c.shortName());
            store.put(c.withState(c.state().withPaused(false)));
        }
    }

    /** Container directories without a database row are what a crash during create or remove left behind. */
    private void removeOrphanDirs() {
        Path dir = options.containersDir();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String id = p.getFileName().toString();
                if (id.length() == 64 && store.get(id).isEmpty()) {
                    LOG.info("removing leftovers of container {} (no database record)", id.substring(0, 12));
                    Starter.quietly(() -> runtime.delete(id, true));
                    Starter.quietly(() -> snapshotter.remove(id));
                    Starter.quietly(() -> Remover.deleteTree(p));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", dir, e.toString());
        }
        for (Container c : store.all()) {
            if (!Files.isDirectory(options.containerDir(c.id())) && !c.state().hasProcess()) {
                LOG.info("dropping container {}: its directory is gone", c.shortName());
                Starter.quietly(() -> snapshotter.remove(c.id()));
                store.delete(c.id());
            }
        }
    }
}

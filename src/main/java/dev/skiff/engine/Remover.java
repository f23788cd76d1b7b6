package dev.skiff.engine;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InternalException;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.Snapshotter;
import dev.skiff.sys.Signals;
import dev.skiff.sys.Trash;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * docker rm: a running container only with force (SIGKILL, then wait for its exit); then the runtime state,
 * the snapshot, the container directory with its logs and the database row go, "destroy" is published and
 * removal waiters return.
 */
final class Remover {
    private final ContainerService service;
    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final Snapshotter snapshotter;
    private final EventBus events;
    private final Waiters waiters;
    private final EngineOptions options;

    Remover(ContainerService service, ContainerStore store, ContainerRuntime runtime, Snapshotter snapshotter,
            EventBus events, Waiters waiters, EngineOptions options) {
        this.service = service;
        this.store = store;
        this.runtime = runtime;
        this.snapshotter = snapshotter;
        this.events = events;
        this.waiters = waiters;
        this.options = options;
    }

    void remove(Container target, boolean force, boolean removeVolumes) {
        String id = target.id();
        ExitHandler exits = service.exitHandler();
        CompletableFuture<WaitResult> exited = null;
        synchronized (service.lock(id)) {
            Container c = store.resolve(id);
            if (c.state().paused() && !force) {
                throw new ConflictException("You cannot remove a paused container " + c.id()
                        + ". Unpause and then stop the container before attempting removal or force remove");
            }
            if (c.state().running() && !force) {
                throw new ConflictException("cannot remove container \"" + c.name()
                        + "\": container is running: stop the container before removing or force remove");
            }
            if (!exits.beginRemoval(id)) {
                throw new ConflictException("removal of container " + c.shortName() + " is already in progress");
            }
            exits.cancelRestart(id);
            if (c.state().hasProcess()) {
                exited = waiters.onNextExit(id);
                Starter.quietly(() -> runtime.kill(id, Signals.SIGKILL, true));
                events.publishContainer(c, "kill", Map.of("signal", "9"));
                if (service.frozen(c)) {
                    Starter.quietly(() -> runtime.resume(id));
                }
            }
        }
        try {
            if (exited != null) {
                try {
                    exited.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // killed but no exit seen: the runtime's forced delete below ends what is left
                }
            }
            service.shipping().beforeRemoval(id); // its last lines out before the log goes
            synchronized (service.lock(id)) {
                Container c = store.resolve(id);
                store.put(c.withState(c.state().withStatus(ContainerState.REMOVING)));
                runtime.delete(id, true);
                snapshotter.remove(id);
                discard(options.containerDir(id));
                store.delete(id);
                Starter.quietly(() -> service.mounts().remove(id, removeVolumes));
                Starter.quietly(() -> service.networking().remove(id));
                Starter.quietly(() -> service.ports().release(id));
                events.publishContainer(c, "destroy", Map.of());
                waiters.removed(id, c.state().exitCode());
                service.attaches().cancel(id);
            }
            if (service.images().findId(target.imageId()).isEmpty()) {
                // its image was removed by force while it stood: the layers kept for it may go now
                Starter.quietly(() -> service.images().releaseUnused(service.imageUsers()));
            }
        } finally {
            exits.endRemoval(id);
            service.forgetLock(id);
        }
    }

    /** The container's directory (logs above all, which may be large) is deleted in the background. */
    private void discard(Path dir) {
        try {
            service.trash().discard(dir);
        } catch (IOException e) {
            throw cannotDelete(dir, e);
        }
    }

    static void deleteTree(Path dir) {
        try {
            dev.skiff.sys.FileTrees.delete(dir);
        } catch (IOException e) {
            throw cannotDelete(dir, e);
        }
    }

    private static InternalException cannotDelete(Path dir, IOException e) {
        return new InternalException("cannot delete " + dir + ": " + e.getMessage()
                + " (is something still mounted there? umount it and remove again)", e);
    }
}

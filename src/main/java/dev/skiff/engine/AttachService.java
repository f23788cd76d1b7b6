package dev.skiff.engine;

import dev.skiff.runtime.AttachSession;
import dev.skiff.runtime.ContainerRuntime;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docker attach, including the attach that docker run and docker start -a make before the container starts:
 * such an attach waits here, and the starter connects it between the runtime's create and start, so not a
 * byte of the first output is missed.
 */
public final class AttachService {
    /** Which streams an attach wants. */
    public record Streams(boolean stdin, boolean stdout, boolean stderr) {
    }

    private record Pending(Streams streams, CompletableFuture<AttachSession> session) {
    }

    private final ContainerRuntime runtime;
    private final Map<String, List<Pending>> pending = new ConcurrentHashMap<>();

    public AttachService(ContainerRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Attaches now when the container runs; otherwise returns a future the next start completes. Cancel the
     * future when the client goes away.
     */
    public CompletableFuture<AttachSession> attach(Container c, Streams s) {
        if (c.state().hasProcess()) {
            try {
                return CompletableFuture.completedFuture(runtime.attach(c.id(), s.stdin(), s.stdout(), s.stderr()));
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        Pending p = new Pending(s, new CompletableFuture<>());
        pending.computeIfAbsent(c.id(), k -> new ArrayList<>()).add(p);
        p.session().whenComplete((r, t) -> {
            if (t != null) {
                pending.computeIfPresent(c.id(), (k, l) -> {
                    l.remove(p);
                    return l.isEmpty() ? null : l;
                });
            }
        });
        return p.session();
    }

    /** Called by the starter after the runtime created the container and before it starts PID 1. */
    void connectPending(String id) {
        List<Pending> list = pending.remove(id);
        if (list == null) {
            return;
        }
        for (Pending p : list) {
            try {
                p.session().complete(runtime.attach(id, p.streams().stdin(), p.streams().stdout(), p.streams().stderr()));
            } catch (IOException | RuntimeException e) {
                p.session().completeExceptionally(e);
            }
        }
    }

    /** The container is gone: pending attaches end. */
    void cancel(String id) {
        List<Pending> list = pending.remove(id);
        if (list != null) {
            list.forEach(p -> p.session().cancel(false));
        }
    }
}

package dev.skiff.engine;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.NotModifiedException;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.sys.Signals;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** docker stop and docker kill: signals, the stop timeout, the escalation to SIGKILL. */
final class Stopper {
    private final ContainerService service;
    private final ContainerStore store;
    private final ContainerRuntime runtime;
    private final EventBus events;
    private final Waiters waiters;

    Stopper(ContainerService service, ContainerStore store, ContainerRuntime runtime, EventBus events, Waiters waiters) {
        this.service = service;
        this.store = store;
        this.runtime = runtime;
        this.events = events;
        this.waiters = waiters;
    }

    /**
     * Stops a running container: its stop signal (StopSignal or SIGTERM), then SIGKILL after the timeout.
     *
     * @param timeoutSeconds null for Config.StopTimeout or 10; -1 waits forever
     * @param signal         overrides the stop signal when not blank
     */
    void stop(String idOrName, Integer timeoutSeconds, String signal) {
        Container c = store.resolve(idOrName);
        CompletableFuture<WaitResult> exited;
        int sig;
        synchronized (service.lock(c.id())) {
            c = store.resolve(c.id());
            if (c.state().restarting()) {
                service.exitHandler().cancelRestart(c.id());
                ContainerState s = c.state();
                store.put(c.withManuallyStopped(true).withState(s.exited(s.exitCode(), s.oomKilled(), s.finishedAt())));
                events.publishContainer(c, "stop", Map.of());
                return;
            }
            if (!c.state().hasProcess()) {
                throw new NotModifiedException("container " + c.shortName() + " is already stopped");
            }
            c = c.withManuallyStopped(true);
            store.put(c);
            exited = waiters.onNextExit(c.id());
            sig = Signals.parse(signal == null || signal.isBlank() ? ConfigMerger.text(c.config(), "StopSignal") : signal,
                    Signals.SIGTERM);
            try {
                signal(c, sig, false, true);
            } catch (dev.skiff.errors.UnavailableException e) {
                // PID 1 may have exited just now (runc: "container not running"): its exit file settles it below
            }
        }
        int timeout = timeoutSeconds != null ? timeoutSeconds : c.config().path("StopTimeout").asInt(10);
        if (!awaitExit(exited, timeout)) {
            synchronized (service.lock(c.id())) {
                Container now = store.get(c.id()).orElse(null);
                if (now != null && now.state().hasProcess()) {
                    signal(now, Signals.SIGKILL, true, true);
                }
            }
            if (!awaitExit(exited, 30)) {
                throw new dev.skiff.errors.UnavailableException("container " + c.shortName()
                        + " did not exit 30 seconds after SIGKILL; its processes may be stuck in the kernel (D state)");
            }
        }
        events.publishContainer(c, "stop", Map.of());
    }

    /**
     * Sends a signal; 409 when the container is not running. As dockerd's kill route, a bad signal is refused before
     * the container is looked at, and the container's errors say "Cannot kill container: NAME: " first.
     */
    void kill(String idOrName, String signal) {
        int sig = Signals.parse(signal, Signals.SIGKILL);
        Container c;
        try {
            c = store.resolve(idOrName);
        } catch (dev.skiff.errors.NotFoundException e) {
            throw new dev.skiff.errors.NotFoundException("Cannot kill container: " + idOrName + ": " + e.getMessage(), e);
        }
        synchronized (service.lock(c.id())) {
            c = store.resolve(c.id());
            if (!c.state().running()) {
                // dockerd's words, with the container as the client named it
                throw new ConflictException("Cannot kill container: " + idOrName + ": Container " + c.id()
                        + " is not running");
            }
            // dockerd's killWithSignal: a signal meant to end the container (SIGKILL, the image's or container's
            // stop signal, or any signal at all when none is configured) means no restart policy brings it back
            // (ExitOnNext), and a paused container is resumed so that it gets the signal; with a stop signal
            // configured, others (HUP to reload, USR1, ...) leave the policy in force and a paused container paused
            String configured = ConfigMerger.text(c.config(), "StopSignal");
            boolean ends = sig == Signals.SIGKILL || configured.isEmpty()
                    || sig == Signals.parse(configured, Signals.SIGTERM);
            if (ends) {
                c = c.withManuallyStopped(true);
                store.put(c);
            }
            if (c.state().restarting()) {
                service.exitHandler().cancelRestart(c.id());
                ContainerState s = c.state();
                store.put(c.withState(s.exited(s.exitCode(), s.oomKilled(), s.finishedAt())));
                return;
            }
            signal(c, sig, false, ends);
        }
    }

    /** Sends {@code sig}; with {@code thaw}, a paused container is resumed after it, to act on it as dockerd does. */
    private void signal(Container c, int sig, boolean all, boolean thaw) {
        try {
            runtime.kill(c.id(), sig, all);
        } catch (dev.skiff.errors.SkiffException e) {
            if (runtimeStillRuns(c)) {
                throw e;
            }
            // Its process ended after the state we checked was written (parallel stops, restarts or rm -f of one
            // container: one of them killed it) and the exit is on its way to being recorded: nothing to signal.
            return;
        }
        events.publishContainer(c, "kill", Map.of("signal", Integer.toString(sig)));
        if (thaw && service.frozen(c)) {
            // a frozen cgroup would never act on the signal: thaw it, as Docker does for stop and kill (quietly: a
            // stop's SIGKILL after its SIGTERM finds it thawed already, and the exit clears the paused state)
            Starter.quietly(() -> runtime.resume(c.id()));
            // a process that lives on (it traps the signal) runs again: recorded so, with dockerd's event
            Container now = store.get(c.id()).orElse(null);
            if (now != null && now.state().hasProcess() && now.state().paused()) {
                store.put(now.withState(now.state().withPaused(false)));
                events.publishContainer(now, "unpause", Map.of());
            }
        }
    }

    private boolean runtimeStillRuns(Container c) {
        try {
            return runtime.state(c.id()).map(st -> st.status().equals("running") || st.status().equals("paused"))
                    .orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean awaitExit(CompletableFuture<WaitResult> exited, int timeoutSeconds) {
        try {
            if (timeoutSeconds < 0) {
                exited.get();
            } else {
                exited.get(timeoutSeconds, TimeUnit.SECONDS);
            }
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

}

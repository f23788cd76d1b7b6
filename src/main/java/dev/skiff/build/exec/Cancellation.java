package dev.skiff.build.exec;

import java.util.ArrayList;
import java.util.List;

/**
 * A build's cancel signal (the client went away): the running step registers how to stop itself, and every
 * step checks {@link #check()} before it starts, so a cancelled build stops at the next boundary at the latest.
 */
public final class Cancellation {
    private final List<Runnable> actions = new ArrayList<>();
    private boolean cancelled;

    /** Cancels the build: runs every registered action once (killing the running step). */
    public void cancel() {
        List<Runnable> run;
        synchronized (this) {
            if (cancelled) {
                return;
            }
            cancelled = true;
            run = List.copyOf(actions);
        }
        run.forEach(Runnable::run);
    }

    public synchronized boolean cancelled() {
        return cancelled;
    }

    /** Throws {@link BuildCancelledException} when the build was cancelled. */
    public void check() {
        if (cancelled()) {
            throw new BuildCancelledException();
        }
    }

    /**
     * Runs {@code action} on cancel (at once when already cancelled); the returned handle unregisters it.
     */
    public AutoCloseable onCancel(Runnable action) {
        boolean now;
        synchronized (this) {
            now = cancelled;
            if (!now) {
                actions.add(action);
            }
        }
        if (now) {
            action.run();
        }
        return () -> {
            synchronized (this) {
                actions.remove(action);
            }
        };
    }

    /** The build stopped because it was cancelled. */
    public static final class BuildCancelledException extends RuntimeException {
        public BuildCancelledException() {
            super("the build was cancelled (the client went away)");
        }
    }
}

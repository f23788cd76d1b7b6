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

    /** Work that may block on the network or a process for minutes and gives something to close. */
    @FunctionalInterface
    public interface BlockingWork<T extends AutoCloseable> {
        T run() throws java.io.IOException;
    }

    /**
     * Runs {@code work} on this thread, which a cancel interrupts meanwhile (a download or a clone stops at once
     * rather than at its end). Cancelled: what the work gave is closed and {@link BuildCancelledException} thrown,
     * whatever the work threw on the way; the cancel's interrupt never outlives the call (it would break the clean-up's
     * I/O), while an interrupt of anyone else's is kept.
     */
    public <T extends AutoCloseable> T interruptibly(BlockingWork<T> work) throws java.io.IOException {
        Thread self = Thread.currentThread();
        T result = null;
        boolean interrupted;
        try (AutoCloseable ignored = onCancel(self::interrupt)) {
            result = work.run();
        } catch (java.io.IOException | RuntimeException e) {
            if (!cancelled()) {
                throw e;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e); // unregistering an action throws nothing
        } finally {
            interrupted = Thread.interrupted();
        }
        if (cancelled()) {
            if (result != null) {
                try {
                    result.close();
                } catch (Exception e) {
                    // what a cancelled fetch left is in the build's scratch space, emptied with it
                }
            }
            throw new BuildCancelledException();
        }
        if (interrupted) {
            self.interrupt();
        }
        return result;
    }

    /** The build stopped because it was cancelled. */
    public static final class BuildCancelledException extends RuntimeException {
        public BuildCancelledException() {
            super("the build was cancelled (the client went away)");
        }
    }
}

package dev.skiff.runtime;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * An OCI runtime driven through a per-container monitor (runc under conmon).
 *
 * <p>Lifecycle: {@link #create} writes the bundle's config.json and starts the monitor, which runs
 * "runc create" and stays behind holding the container's stdio and log; {@link #start} runs the
 * process; when PID 1 exits the monitor writes the exit code to the exit directory, where
 * {@link #exitCode} reads it, even after the daemon itself restarted. {@link #delete} removes the
 * runtime's state; the bundle directory belongs to the caller.
 */
public interface ContainerRuntime {
    /** Creates the container (not started). Throws UnavailableException with runc's message on failure. */
    CreatedContainer create(CreateRequest request);

    /**
     * At daemon start, before any container is reconciled: ends what a daemon that died in the middle of a create
     * left running on its own (a monitor's launcher waiting for it for ever, say). Nothing is being created then.
     */
    default void cleanUpAfterCrash() {
    }

    void start(String id);

    /** Sends a signal to PID 1, or with {@code all} to every process of the container. */
    void kill(String id, int signal, boolean all);

    void pause(String id);

    void resume(String id);

    /** Changes the cgroup limits of a live container. */
    void update(String id, RuntimeSpec.Resources resources);

    /**
     * Removes the runtime's state for a stopped (or, with force, any) container, including its exit file, so a
     * later create of the same ID starts clean. Idempotent: deleting what is already gone is not an error.
     */
    void delete(String id, boolean force);

    /** What the runtime knows of the container, or empty when it knows nothing of it. */
    Optional<RuntimeState> state(String id);

    /**
     * Whether the container's processes are frozen now (paused), whoever froze them: the daemon's own records
     * can be behind after a crash between a pause and its record. Cheap enough for every stop and kill.
     */
    default boolean frozen(String id) {
        return state(id).map(s -> s.status().equals("paused")).orElse(false);
    }

    /** The exit code conmon recorded, once PID 1 has exited. */
    Optional<ExitStatus> exitCode(String id);

    /**
     * Blocks until PID 1's exit is recorded or {@code timeout} passes (then empty). The default polls
     * {@link #exitCode}; implementations may do better.
     */
    default Optional<ExitStatus> awaitExit(String id, java.time.Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<ExitStatus> status = exitCode(id);
            if (status.isPresent() || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(5);
        }
    }

    /**
     * The directory where the monitor writes one file per container, named by the container ID, when PID 1
     * exits (conmon's --exit-dir). The engine watches it with inotify instead of a thread per container.
     */
    java.nio.file.Path exitDir();

    /** Whether the container's monitor process is still alive (used to re-adopt after a daemon crash). */
    boolean monitorAlive(String id);

    /** Attaches to the container's stdio through the monitor's attach socket. */
    AttachSession attach(String id, boolean stdin, boolean stdout, boolean stderr) throws IOException;

    /** Resizes the container's terminal. */
    void resize(String id, int height, int width);

    /** Runs an extra process in the running container. */
    ExecSession exec(String id, RuntimeSpec.Process process, boolean attachStdin) throws IOException;

    /** The host PIDs of every process in the container. */
    List<Integer> pids(String id);

    /** Resource usage read from the container's cgroup. */
    CgroupStats stats(String id);
}

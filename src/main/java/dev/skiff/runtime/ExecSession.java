package dev.skiff.runtime;

import java.io.Closeable;
import java.io.IOException;

/** A process run inside a container: its stdio like an attach session, and its exit code. */
public interface ExecSession extends AttachSession, Closeable {
    /** The host PID of the exec'd process. */
    int pid();

    /** Blocks until the process exits and returns its exit code. */
    int waitFor() throws IOException, InterruptedException;

    void resize(int height, int width) throws IOException;
}

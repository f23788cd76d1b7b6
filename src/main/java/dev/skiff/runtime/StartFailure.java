package dev.skiff.runtime;

import java.util.Locale;

/**
 * Why the runtime could not exec a container's command, with the exit code Docker reports for it:
 * 127 when the command does not exist, 126 when it exists but cannot be executed, 128 otherwise.
 * The engine classifies the runtime's error message with {@link #of(String)}.
 */
public enum StartFailure {
    COMMAND_NOT_FOUND(127),
    NOT_EXECUTABLE(126),
    OTHER(128);

    private final int exitCode;

    StartFailure(int exitCode) {
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    /** An exec's code: dockerd records 126 for an exec that could not start for any reason but a missing command. */
    public int execExitCode() {
        return this == OTHER ? NOT_EXECUTABLE.exitCode : exitCode;
    }

    /** Classifies a runc error ("exec: \"x\": executable file not found in $PATH", "permission denied", ...). */
    public static StartFailure of(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("chdir to cwd")) {
            return OTHER; // the working directory is missing, not the command (exec -w /nonexistent: dockerd's 126)
        }
        if (m.contains("executable file not found") || m.contains("no such file or directory")
                || m.contains("not found in $path")) {
            return COMMAND_NOT_FOUND;
        }
        if (m.contains("permission denied") || m.contains("is a directory") || m.contains("exec format error")) {
            return NOT_EXECUTABLE;
        }
        return OTHER;
    }
}

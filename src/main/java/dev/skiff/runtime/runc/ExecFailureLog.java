package dev.skiff.runtime.runc;

import java.nio.file.Path;

/**
 * runc's own failure in an exec's JSON log, read once: the output that shows it (dockerd's "OCI runtime exec
 * failed" line) and the exit code it decides both ask for it, after runc has exited.
 */
final class ExecFailureLog {
    private final Path log;
    private String error;
    private boolean read;

    ExecFailureLog(Path log) {
        this.log = log;
    }

    /** The error runc logged last, or null when it logged none. */
    synchronized String error() {
        if (!read) {
            error = RuncCommand.lastLoggedError(log);
            read = true;
        }
        return error;
    }
}

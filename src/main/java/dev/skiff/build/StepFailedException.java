package dev.skiff.build;

import java.util.List;

/**
 * A RUN step exited non-zero. The message is Docker's ("The command '/bin/sh -c exit 3' returned a non-zero
 * code: 3"); {@link #tail()} holds the step's last output lines for a reader who did not see the stream.
 */
public final class StepFailedException extends RuntimeException {
    private final int exitCode;
    private final List<String> tail;

    public StepFailedException(String command, int exitCode, List<String> tail) {
        super("The command '" + command + "' returned a non-zero code: " + exitCode);
        this.exitCode = exitCode;
        this.tail = List.copyOf(tail);
    }

    public int exitCode() {
        return exitCode;
    }

    public List<String> tail() {
        return tail;
    }
}

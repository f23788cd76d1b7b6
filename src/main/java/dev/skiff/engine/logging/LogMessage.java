package dev.skiff.engine.logging;

/**
 * One line of a container's output as a driver ships it.
 *
 * @param timeNanos when the container wrote it, epoch nanoseconds
 * @param line      its bytes without the newline
 * @param partial   a piece of a line longer than a message holds; the line goes on in the next message
 */
public record LogMessage(long timeNanos, boolean stderr, byte[] line, boolean partial) {
    public String source() {
        return stderr ? "stderr" : "stdout";
    }
}

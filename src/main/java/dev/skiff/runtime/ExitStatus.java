package dev.skiff.runtime;

import java.time.Instant;

/** How PID 1 ended: its exit code (128+signal when killed), and when (the exit file's mtime). */
public record ExitStatus(int exitCode, Instant finishedAt, boolean oomKilled) {
}

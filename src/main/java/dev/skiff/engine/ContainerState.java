package dev.skiff.engine;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Docker's container State, as inspect shows it. Timestamps are RFC3339Nano strings, "0001-01-01T00:00:00Z"
 * when unset, so the record serializes to Docker's JSON unchanged.
 */
public record ContainerState(
        @JsonProperty("Status") String status,
        @JsonProperty("Running") boolean running,
        @JsonProperty("Paused") boolean paused,
        @JsonProperty("Restarting") boolean restarting,
        @JsonProperty("OOMKilled") boolean oomKilled,
        @JsonProperty("Dead") boolean dead,
        @JsonProperty("Pid") int pid,
        @JsonProperty("ExitCode") int exitCode,
        @JsonProperty("Error") String error,
        @JsonProperty("StartedAt") String startedAt,
        @JsonProperty("FinishedAt") String finishedAt) {

    public static final String CREATED = "created", RUNNING = "running", PAUSED = "paused",
            RESTARTING = "restarting", REMOVING = "removing", EXITED = "exited", DEAD = "dead";

    public static ContainerState created() {
        return new ContainerState(CREATED, false, false, false, false, false, 0, 0, "", Times.ZERO, Times.ZERO);
    }

    public ContainerState running(int newPid, String now) {
        return new ContainerState(RUNNING, true, false, false, false, false, newPid, 0, "", now, Times.ZERO);
    }

    public ContainerState exited(int code, boolean oom, String finished) {
        return new ContainerState(EXITED, false, false, false, oom, false, 0, code, "", startedAt, finished);
    }

    /** Docker keeps Running=true while a restart is pending so rm/stop treat it as live. */
    public ContainerState restartingAfter(int code, boolean oom, String finished) {
        return new ContainerState(RESTARTING, true, false, true, oom, false, 0, code, "", startedAt, finished);
    }

    /** A start that failed before the process ran: Docker keeps "created" and records the error. */
    public ContainerState startFailed(int code, String message) {
        return new ContainerState(status.equals(CREATED) ? CREATED : EXITED, false, false, false, false, false, 0,
                code, message, startedAt, finishedAt);
    }

    public ContainerState withPaused(boolean nowPaused) {
        return new ContainerState(nowPaused ? PAUSED : RUNNING, running, nowPaused, restarting, oomKilled, dead, pid,
                exitCode, error, startedAt, finishedAt);
    }

    public ContainerState withError(String message) {
        return new ContainerState(status, running, paused, restarting, oomKilled, dead, pid, exitCode, message,
                startedAt, finishedAt);
    }

    public ContainerState withStatus(String newStatus) {
        return new ContainerState(newStatus, running, paused, restarting, oomKilled, dead, pid, exitCode, error,
                startedAt, finishedAt);
    }

    /** Whether the container was ever started (dockerd fills some fields only from then on). */
    public boolean everStarted() {
        return startedAt != null && !startedAt.isEmpty() && !startedAt.equals(Times.ZERO);
    }

    /** Running or paused: a process exists (restarting has none). */
    public boolean hasProcess() {
        return status.equals(RUNNING) || status.equals(PAUSED);
    }
}

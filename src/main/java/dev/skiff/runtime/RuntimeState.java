package dev.skiff.runtime;

/** The runtime's view of a container: status is "created", "running", "paused" or "stopped". */
public record RuntimeState(String status, int pid) {
}

package dev.skiff.runtime;

/** A created (not yet started) container: the PID of its init process and of its monitor. */
public record CreatedContainer(int pid, int monitorPid) {
}

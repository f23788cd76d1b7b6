package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.runtime.ExecSession;
import java.util.List;

/**
 * One exec instance (docker exec): created, then started once; its state lives in memory only, as Docker's.
 * Mutable fields are written by the thread that runs the process and read by inspect.
 */
public final class Exec {
    final String id;
    final String containerId;
    final ObjectNode config;
    final List<String> cmd;
    volatile boolean started;
    volatile boolean running;
    volatile Integer exitCode;
    volatile int pid;
    volatile ExecSession session;
    volatile long finishedAtMillis;

    Exec(String id, String containerId, ObjectNode config, List<String> cmd) {
        this.id = id;
        this.containerId = containerId;
        this.config = config;
        this.cmd = cmd;
    }

    public String id() {
        return id;
    }

    public String containerId() {
        return containerId;
    }

    public ObjectNode config() {
        return config;
    }

    public boolean tty() {
        return config.path("Tty").asBoolean(false);
    }

    public boolean started() {
        return started;
    }

    public boolean running() {
        return running;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public int pid() {
        return pid;
    }

    public List<String> cmd() {
        return cmd;
    }
}

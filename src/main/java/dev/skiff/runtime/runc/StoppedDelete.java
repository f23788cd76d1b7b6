package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import dev.skiff.sys.Trash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes a container whose init process has exited the way "runc delete" does, without spawning runc: for a
 * stopped container runc removes the container's cgroups (the kernel already killed every process of its own
 * PID namespace) and then its state directory. That saves a runc process (5-15 ms) on every container exit.
 *
 * <p>Only the plain case is done here: init provably gone, a private PID namespace, no poststop hooks, no
 * Intel RDT, cgroupfs paths under /sys/fs/cgroup that rmdir accepts. Anything else (a cgroup still busy or with
 * child cgroups, a state file we do not understand) returns false before or without harm, and the caller runs
 * "runc delete", which handles it and says what went wrong; cgroups already removed here are fine for runc.
 */
final class StoppedDelete {
    private static final Path CGROUP_ROOT = Path.of("/sys/fs/cgroup");

    private StoppedDelete() {
    }

    /**
     * Deletes the container whose runc state directory is {@code stateDir}, the directory through {@code trash};
     * false when runc must do it.
     */
    static boolean delete(Path stateDir, Trash trash) {
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(stateDir.resolve("state.json").toFile());
        } catch (IOException e) {
            return false;
        }
        List<Path> cgroups = plainCgroups(state);
        if (cgroups == null || initAlive(state.path("init_process_pid").asInt(), state.path("init_process_start").asLong())) {
            return false;
        }
        for (Path cg : cgroups) {
            try {
                Files.deleteIfExists(cg); // rmdir: the kernel refuses while a process or a child cgroup remains
            } catch (IOException e) {
                return false;
            }
        }
        try {
            trash.discard(stateDir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The cgroup directories to remove, or null when the container is not the plain case. */
    static List<Path> plainCgroups(JsonNode state) {
        JsonNode config = state.path("config");
        if (!state.path("intel_rdt_path").asText("").isEmpty() || config.path("cgroups").path("Systemd").asBoolean(false)
                || hasPoststopHooks(config) || !privatePidNamespace(config)) {
            return null;
        }
        JsonNode paths = state.path("cgroup_paths");
        if (!paths.isObject()) {
            return null;
        }
        List<Path> out = new ArrayList<>();
        for (JsonNode p : paths) {
            Path dir = Path.of(p.asText("")).normalize();
            if (!dir.isAbsolute() || !dir.startsWith(CGROUP_ROOT) || dir.getNameCount() <= CGROUP_ROOT.getNameCount() + 1) {
                return null; // never rmdir a hierarchy's root, nor anything outside the cgroup filesystems
            }
            out.add(dir);
        }
        return out;
    }

    private static boolean hasPoststopHooks(JsonNode config) {
        JsonNode hooks = config.path("Hooks").path("poststop");
        return hooks.isArray() && !hooks.isEmpty();
    }

    private static boolean privatePidNamespace(JsonNode config) {
        for (JsonNode ns : config.path("namespaces")) {
            if ("NEWPID".equals(ns.path("type").asText()) && ns.path("path").asText("").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether runc's init process still lives: the PID exists with the start time runc recorded (a recycled PID
     * has another) and is not a zombie.
     */
    static boolean initAlive(int pid, long startTime) {
        if (pid <= 0) {
            return false;
        }
        String stat = ExecRoot.readTrimmed(Path.of("/proc", Integer.toString(pid), "stat"));
        if (stat == null) {
            return false;
        }
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return true; // unreadable: assume alive, runc decides
        }
        String[] f = stat.substring(close + 2).split(" ");
        // after "(comm) ": f[0] is the state (field 3), f[19] the start time (field 22)
        if (f.length < 20) {
            return true;
        }
        if (f[0].equals("Z") || f[0].equals("X")) {
            return false;
        }
        return f[19].equals(Long.toString(startTime));
    }
}

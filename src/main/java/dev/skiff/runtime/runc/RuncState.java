package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What runc recorded of a started container (its state.json under --root) that an exec needs: the init process,
 * named by PID and start time together (a PID alone may have been reused once the init exited), and the cgroup
 * directories it put the container in, one per v1 hierarchy plus the unified one.
 */
record RuncState(long initPid, long initStart, List<String> cgroupDirs) {
    /** A state as read, with the identity of the file it was read from: runc replaces the file when it writes it. */
    record Cached(Object fileKey, FileTime modified, long size, RuncState state) {
    }

    /**
     * The container's state, from {@code cache} while runc's file is the one it was read from (same inode, time and
     * size: runc writes a new file and renames it over the old one), otherwise read and cached anew. A stat instead of
     * a parse of runc's ~30 KB of JSON per exec.
     */
    static RuncState read(Path runcRoot, String id, Map<String, Cached> cache) throws IOException {
        Path file = runcRoot.resolve(id).resolve("state.json");
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw notRunning(id);
        }
        Cached known = cache.get(id);
        if (known != null && known.fileKey().equals(attrs.fileKey()) && known.modified().equals(attrs.lastModifiedTime())
                && known.size() == attrs.size()) {
            return known.state();
        }
        RuncState state = read(runcRoot, id);
        cache.put(id, new Cached(attrs.fileKey(), attrs.lastModifiedTime(), attrs.size(), state));
        return state;
    }

    private static ConflictException notRunning(String id) {
        return new ConflictException("container " + id + " is not running (start it before exec)");
    }

    static RuncState read(Path runcRoot, String id) throws IOException {
        Path file = runcRoot.resolve(id).resolve("state.json");
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw notRunning(id);
        }
        Set<String> dirs = new LinkedHashSet<>();
        state.path("cgroup_paths").forEach(p -> {
            if (!p.asText().isEmpty()) {
                dirs.add(p.asText());
            }
        });
        return new RuncState(state.path("init_process_pid").asLong(), state.path("init_process_start").asLong(),
                new ArrayList<>(dirs));
    }
}

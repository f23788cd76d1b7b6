package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What runc recorded of a started container (its state.json under --root) that an exec needs: the init process,
 * named by PID and start time together (a PID alone may have been reused once the init exited), and the cgroup
 * directories it put the container in, one per v1 hierarchy plus the unified one.
 */
record RuncState(long initPid, long initStart, List<String> cgroupDirs) {
    static RuncState read(Path runcRoot, String id) throws IOException {
        Path file = runcRoot.resolve(id).resolve("state.json");
        JsonNode state;
        try {
            state = Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            throw new ConflictException("container " + id + " is not running (start it before exec)");
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

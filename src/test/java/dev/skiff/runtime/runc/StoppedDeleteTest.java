package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import dev.skiff.sys.Trash;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** runc's delete of a stopped container done in-process only in the plain case; everything else is left to runc. */
class StoppedDeleteTest {
    private static final String CG = "/sys/fs/cgroup/memory/skiff-test-none/abc";

    @TempDir
    Path tmp;

    @Test
    void plainCgroups_plainContainer_listsItsCgroups() throws Exception {
        assertThat(StoppedDelete.plainCgroups(state(1, 1, "\"memory\": \"" + CG + "\"", "null", "\"\"", false)))
                .containsExactly(Path.of(CG));
    }

    @Test
    void plainCgroups_anythingUnusual_isLeftToRunc() throws Exception {
        String cg = "\"memory\": \"" + CG + "\"";
        assertThat(StoppedDelete.plainCgroups(state(1, 1, cg, "[{\"path\": \"/bin/true\"}]", "\"\"", false)))
                .as("poststop hooks").isNull();
        assertThat(StoppedDelete.plainCgroups(state(1, 1, cg, "null", "\"/proc/1/ns/pid\"", false)))
                .as("a shared PID namespace").isNull();
        assertThat(StoppedDelete.plainCgroups(state(1, 1, cg, "null", "\"\"", true))).as("systemd cgroups").isNull();
        assertThat(StoppedDelete.plainCgroups(state(1, 1, "\"memory\": \"/sys/fs/cgroup/memory\"", "null", "\"\"", false)))
                .as("a hierarchy's root").isNull();
        assertThat(StoppedDelete.plainCgroups(state(1, 1, "\"memory\": \"/tmp/x/y\"", "null", "\"\"", false)))
                .as("outside /sys/fs/cgroup").isNull();
        assertThat(StoppedDelete.plainCgroups(state(1, 1, "\"memory\": \"/sys/fs/cgroup/memory/../../../etc\"", "null",
                "\"\"", false))).as("climbing out").isNull();
    }

    @Test
    void initAlive_ourOwnProcess_isAlive_unlessItsStartTimeDiffers() throws Exception {
        long pid = ProcessHandle.current().pid();
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long start = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);

        assertThat(StoppedDelete.initAlive((int) pid, start)).isTrue();
        assertThat(StoppedDelete.initAlive((int) pid, start + 1)).as("a recycled PID").isFalse();
        assertThat(StoppedDelete.initAlive(0, start)).isFalse();
    }

    @Test
    void delete_stoppedContainer_removesItsStateDirectory() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Path dir = Files.createDirectories(tmp.resolve("runc").resolve("abc"));
        Files.writeString(dir.resolve("state.json"), Json.COMPACT.writeValueAsString(
                state((int) p.pid(), 1, "\"memory\": \"" + CG + "\"", "null", "\"\"", false)));

        Trash trash = new Trash(tmp.resolve("trash"));
        assertThat(StoppedDelete.delete(dir, trash)).isTrue();
        assertThat(dir).doesNotExist();
        trash.awaitEmpty();
        assertThat(tmp.resolve("trash")).isEmptyDirectory();
    }

    @Test
    void delete_runningInit_isLeftToRunc() throws Exception {
        long pid = ProcessHandle.current().pid();
        String stat = Files.readString(Path.of("/proc/self/stat"));
        long start = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19]);
        Path dir = Files.createDirectories(tmp.resolve("runc").resolve("abc"));
        Files.writeString(dir.resolve("state.json"), Json.COMPACT.writeValueAsString(
                state((int) pid, start, "\"memory\": \"" + CG + "\"", "null", "\"\"", false)));

        assertThat(StoppedDelete.delete(dir, new Trash(tmp.resolve("trash")))).isFalse();
        assertThat(dir.resolve("state.json")).exists();
    }

    @Test
    void delete_noStateFile_isLeftToRunc() {
        assertThat(StoppedDelete.delete(tmp.resolve("missing"), new Trash(tmp.resolve("trash")))).isFalse();
    }

    private static JsonNode state(int pid, long start, String cgroupPaths, String poststop, String pidNsPath,
                                  boolean systemd) throws Exception {
        return Json.MAPPER.readTree("""
                {"id": "abc", "init_process_pid": %d, "init_process_start": %d, "intel_rdt_path": "",
                 "cgroup_paths": {%s},
                 "config": {"cgroups": {"Systemd": %s},
                            "Hooks": {"poststop": %s},
                            "namespaces": [{"type": "NEWPID", "path": %s}, {"type": "NEWNS", "path": ""}]}}
                """.formatted(pid, start, cgroupPaths, systemd, poststop, pidNsPath));
    }
}

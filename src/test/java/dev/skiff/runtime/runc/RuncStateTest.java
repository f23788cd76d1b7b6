package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.ConflictException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RuncStateTest {
    @TempDir
    Path root;

    private void write(String id, long pid, long start) throws Exception {
        Files.createDirectories(root.resolve(id));
        Path tmp = root.resolve(id).resolve("state.json.tmp");
        // as runc writes it: a new file renamed over the old one
        Files.writeString(tmp, "{\"id\":\"" + id + "\",\"init_process_pid\":" + pid + ",\"init_process_start\":" + start
                + ",\"cgroup_paths\":{\"\":\"/sys/fs/cgroup/unified/skiff/" + id + "\",\"memory\":\"/sys/fs/cgroup/memory/skiff/"
                + id + "\",\"cpu\":\"/sys/fs/cgroup/cpu,cpuacct/skiff/" + id + "\",\"cpuacct\":\"/sys/fs/cgroup/cpu,cpuacct/skiff/"
                + id + "\"},\"config\":{}}");
        Files.move(tmp, root.resolve(id).resolve("state.json"), StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void theInitAndEachCgroupDirectoryOnce_areRead() throws Exception {
        write("c1", 4321, 98765);
        RuncState s = RuncState.read(root, "c1");
        assertThat(s.initPid()).isEqualTo(4321);
        assertThat(s.initStart()).isEqualTo(98765);
        // cpu and cpuacct share a hierarchy: one directory, one write
        assertThat(s.cgroupDirs()).containsExactly("/sys/fs/cgroup/unified/skiff/c1", "/sys/fs/cgroup/memory/skiff/c1",
                "/sys/fs/cgroup/cpu,cpuacct/skiff/c1");
    }

    @Test
    void aCachedState_servesWhileRuncsFileIsTheSame_andAFileRuncReplacedIsReadAnew() throws Exception {
        Map<String, RuncState.Cached> cache = new HashMap<>();
        write("c1", 4321, 98765);
        RuncState first = RuncState.read(root, "c1", cache);
        assertThat(RuncState.read(root, "c1", cache)).isSameAs(first);
        write("c1", 5555, 99999); // the container restarted: runc wrote a new state
        assertThat(RuncState.read(root, "c1", cache).initPid()).isEqualTo(5555);
    }

    @Test
    void noStateFile_isAContainerThatIsNotRunning() {
        assertThatThrownBy(() -> RuncState.read(root, "gone", new HashMap<>())).isInstanceOf(ConflictException.class)
                .hasMessageContaining("container gone is not running");
    }
}

package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.oci.OciConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecSpecTest {
    private static final RuncState STATE = new RuncState(4321, 98765, List.of("/sys/fs/cgroup/memory/skiff/c1",
            "/sys/fs/cgroup/unified/skiff/c1"));

    private static OciConfig.Process process(List<String> env, List<String> args) {
        List<String> caps = List.of("CAP_CHOWN", "CAP_KILL", "CAP_SYS_ADMIN");
        return new OciConfig.Process(false, new OciConfig.User(1000, 100, List.of(100L, 5L)), args, env, "/tmp",
                new OciConfig.Capabilities(caps, caps, caps, List.of(), null),
                List.of(new OciConfig.Rlimit("RLIMIT_NOFILE", 500, 600)), true, -200);
    }

    @Test
    void theSpec_isKeysAndValuesEachEndedByANul_inTheOrderTheHelperTakesThem() {
        byte[] spec = ExecSpec.of("c1", STATE, List.of("pid", "mount", "network"), Path.of("/run/skiff/seccomp/ab"),
                process(List.of("PATH=/bin", "EMPTY="), List.of("sh", "-c", "")));
        assertThat(new String(spec, StandardCharsets.UTF_8).replace('\0', '|')).isEqualTo(
                "id|c1|pid|4321|start|98765|ns|pid,mount,network|cgroup|/sys/fs/cgroup/memory/skiff/c1|"
                + "cgroup|/sys/fs/cgroup/unified/skiff/c1|seccomp|/run/skiff/seccomp/ab|nnp|1|oom|-200|uid|1000|gid|100|"
                + "group|100|group|5|cap.bounding|200021|cap.effective|200021|cap.permitted|200021|cap.inheritable|0|"
                + "cap.ambient|0|rlimit|RLIMIT_NOFILE 500 600|cwd|/tmp|env|PATH=/bin|env|EMPTY=|arg|sh|arg|-c|arg||");
    }

    @Test
    void noSeccompProfile_noNoNewPrivileges_noScore_leaveTheirKeysOut() {
        OciConfig.Process p = new OciConfig.Process(false, new OciConfig.User(0, 0, null), List.of("true"), List.of(),
                "", null, null, null, null);
        String spec = new String(ExecSpec.of("c1", STATE, List.of(), null, p), StandardCharsets.UTF_8);
        assertThat(spec).doesNotContain("seccomp").doesNotContain("nnp").doesNotContain("oom").doesNotContain("cap.")
                .contains("cwd\0/\0");
    }

    @Test
    void aNulInAValue_isRefused_beforeTheHelperCouldReadItAsTwo() {
        assertThatThrownBy(() -> ExecSpec.of("c1", STATE, List.of(), null,
                process(List.of("A=1\0env\0LD_PRELOAD=/x"), List.of("true"))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("contains a NUL byte");
    }

    @Test
    void anUnknownCapability_isRefused() {
        List<String> caps = List.of("CAP_NO_SUCH");
        OciConfig.Process p = new OciConfig.Process(false, new OciConfig.User(0, 0, null), List.of("true"), List.of(),
                "/", new OciConfig.Capabilities(caps, caps, caps, null, null), null, null, null);
        assertThatThrownBy(() -> ExecSpec.of("c1", STATE, List.of(), null, p))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown capability CAP_NO_SUCH");
    }
}

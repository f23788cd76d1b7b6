package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real docker CLI against skiffd: resource limits seen from inside the container's own cgroup,
 * security options seen in /proc/self/status, the stop signal, and attach.
 */
class DockerCliLimitsIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    /** Reads the first of the files that exists (cgroup v1 inside the container, then v2). */
    private static String inside(String... flagsThenPaths) {
        int split = java.util.Arrays.asList(flagsThenPaths).indexOf("--");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", "--rm"));
        args.addAll(java.util.List.of(flagsThenPaths).subList(0, split));
        StringBuilder script = new StringBuilder();
        for (String p : java.util.List.of(flagsThenPaths).subList(split + 1, flagsThenPaths.length)) {
            script.append("cat ").append(p).append(" 2>/dev/null || ");
        }
        script.append("echo missing");
        args.addAll(java.util.List.of("busybox", "sh", "-c", script.toString()));
        return docker(daemon, args.toArray(String[]::new)).assertOk().out();
    }

    @Test
    void cpusAndCpuSharesLandInTheCpuCgroup() {
        assertThat(inside("--cpus", "0.5", "--", "/sys/fs/cgroup/cpu/cpu.cfs_quota_us", "/sys/fs/cgroup/cpu.max"))
                .isIn("50000", "50000 100000");
        assertThat(inside("--cpu-shares", "512", "--", "/sys/fs/cgroup/cpu/cpu.shares")).isEqualTo("512");
    }

    @Test
    void pidsLimitStopsForks() {
        assertThat(inside("--pids-limit", "20", "--", "/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/pids.max"))
                .isEqualTo("20");
        // Not a tighter limit: runc's init counts against it too (its three nsexec stages and Go threads before it
        // execs sh), and under load it can take five tasks and fail ("pthread_create failed"), as with Docker.
        Cli.Result forks = docker(daemon, "run", "--rm", "--pids-limit", "10", "busybox", "sh", "-c",
                "for i in $(seq 16); do sleep 5 & done; wait");
        assertThat(forks.stderr()).containsIgnoringCase("can't fork");
    }

    @Test
    void memorySwapIsMemoryPlusSwap() {
        assertThat(inside("--memory", "32m", "--memory-swap", "64m", "--",
                "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes", "/sys/fs/cgroup/memory.swap.max"))
                .isIn("67108864", "33554432");
        Cli.Result bad = docker(daemon, "run", "--rm", "--memory", "64m", "--memory-swap", "32m", "busybox", "true");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("Minimum memoryswap limit should be larger than memory limit");
    }

    @Test
    void securityOptsNoNewPrivilegesAndSeccomp() {
        String status = "grep -E '^(NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\\t ' ' '";
        assertThat(docker(daemon, "run", "--rm", "busybox", "sh", "-c", status).assertOk().out())
                .isEqualTo("NoNewPrivs: 0\nSeccomp: 2");
        assertThat(docker(daemon, "run", "--rm", "--security-opt", "no-new-privileges", "busybox", "sh", "-c", status)
                .assertOk().out()).startsWith("NoNewPrivs: 1");
        assertThat(docker(daemon, "run", "--rm", "--security-opt", "seccomp=unconfined", "busybox", "sh", "-c", status)
                .assertOk().out()).endsWith("Seccomp: 0");
    }

    @Test
    void stopSendsTheStopSignal() {
        docker(daemon, "run", "-d", "--name", "usr1", "--stop-signal", "USR1", "busybox", "sh", "-c",
                "trap 'exit 42' USR1; while true; do sleep 0.1; done").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.Config.StopSignal}}", "usr1").out()).isEqualTo("USR1");
        docker(daemon, "stop", "-t", "20", "usr1").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.ExitCode}}", "usr1").out()).isEqualTo("42");
        docker(daemon, "rm", "usr1").assertOk();
    }

    @Test
    void attachStreamsStdinAndOutputAndPassesTheExitCode() {
        docker(daemon, "run", "-d", "-i", "--name", "att", "busybox", "sh").assertOk();
        Cli.Result r = Cli.dockerWithInput(daemon, "echo attached; echo oops >&2; exit 3\n".getBytes(StandardCharsets.UTF_8),
                "attach", "att");
        assertThat(r.stdout()).isEqualTo("attached\n");
        assertThat(r.stderr()).contains("oops");
        assertThat(r.exitCode()).isEqualTo(3);
        docker(daemon, "rm", "att").assertOk();
    }
}

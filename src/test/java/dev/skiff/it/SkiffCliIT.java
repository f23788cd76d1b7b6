package dev.skiff.it;

import static dev.skiff.it.Cli.skiff;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The skiff CLI against a real skiffd: the same habits as docker's, through the same API. */
class SkiffCliIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        Requirements.assumeContainerHost();
        daemon = SkiffdProcess.start();
        Cli.skiffWithInput(daemon, Cli.busyboxRootfs(), "import", "-", "busybox:latest").assertOk();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void runPsLogsExecRm() {
        Cli.Result run = skiff(daemon, "run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2; exit 4");
        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.stdout()).isEqualTo("out\n");
        assertThat(run.stderr()).isEqualTo("err\n");

        String id = skiff(daemon, "run", "-d", "--name", "bg", "busybox", "sh", "-c", "echo hi; exec sleep 1000").assertOk().out();
        assertThat(id).hasSize(64);
        assertThat(skiff(daemon, "ps", "--format", "{{.Names}}").assertOk().out()).isEqualTo("bg");
        assertThat(skiff(daemon, "exec", "bg", "cat", "/etc/hostname").assertOk().out()).isEqualTo(id.substring(0, 12));
        assertThat(skiff(daemon, "logs", "bg").assertOk().out()).isEqualTo("hi");
        // system df -v prints what the docker CLI prints for the same daemon (a container's own size, no "virtual")
        assertThat(skiff(daemon, "system", "df", "-v").assertOk().out().replaceAll(" +", " ")
                .replaceAll("Less than a second|About a minute|\\d+ (seconds?|minutes?)", "T"))
                .isEqualTo(Cli.docker(daemon, "system", "df", "-v").assertOk().out().replaceAll(" +", " ")
                        .replaceAll("Less than a second|About a minute|\\d+ (seconds?|minutes?)", "T"));
        skiff(daemon, "rm", "-f", "bg").assertOk();
        assertThat(skiff(daemon, "ps", "-aq").assertOk().out()).isEmpty();
    }

    /**
     * `run -i` whose stdin never ends, on a one-CPU affinity (a small VM or a CPU-limited container): the CLI ends
     * with the container, as docker's does. Its stdin reader once ran on a virtual thread, whose read of the pipe held
     * the only carrier, and the wait for the container's exit could not run until stdin had something to read.
     */
    @Test
    void runDashI_endsWithTheContainer_whenStdinStaysOpen_onOneCpu() throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("taskset", "-c", "0",
                Cli.javaBin(), "--enable-native-access=ALL-UNNAMED", "-XX:UserThreadWaitAttemptsAtExit=0",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), "dev.skiff.cli.Main",
                "run", "-i", "--rm", "busybox", "sh", "-c", "sleep 1; echo done"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true); // stdin: a pipe we never write or close
        pb.environment().putAll(daemon.clientEnv());
        Process p = pb.start();
        try {
            // a liveness check, not a timing: without the fix the CLI waits for stdin for as long as it stays open
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).as("the CLI ended with the container").isTrue();
            assertThat(new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("done\n");
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void imagesAndErrors() {
        assertThat(skiff(daemon, "images", "--format", "{{.Repository}}:{{.Tag}}").assertOk().out()).contains("busybox:latest");
        Cli.Result missing = skiff(daemon, "inspect", "no-such-thing");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("no-such-thing");
        Cli.Result badFlag = skiff(daemon, "run", "--no-such-flag", "busybox");
        assertThat(badFlag.exitCode()).isEqualTo(125);
        assertThat(badFlag.stderr()).contains("--no-such-flag");
    }
}

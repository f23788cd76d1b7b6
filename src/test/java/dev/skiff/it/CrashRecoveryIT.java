package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kill -9 of skiffd while containers run: nothing is lost, nothing leaks. */
class CrashRecoveryIT {
    SkiffdProcess daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void killedDaemon_restartsIntoTheTruth() throws Exception {
        docker(daemon, "run", "-d", "--name", "survivor", "busybox", "sh", "-c",
                "i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.2; done").assertOk();
        docker(daemon, "run", "-d", "--name", "quitter", "busybox", "sh", "-c", "sleep 1; exit 7").assertOk();
        // what a daemon dying between `docker run --rm`'s create and start leaves: dockerd's restore removes it
        docker(daemon, "create", "--rm", "--name", "never-started", "busybox", "true").assertOk();
        // frozen behind the records: a daemon that dies during a commit's freeze (or between runc pause and its
        // record) leaves it so; left frozen it ignored every stop, and exec failed in runc
        docker(daemon, "run", "-d", "--name", "frozen", "busybox", "sleep", "1000").assertOk();
        String frozenId = docker(daemon, "inspect", "-f", "{{.Id}}", "frozen").assertOk().out();
        Process pause = new ProcessBuilder("runc", "--root", daemon.dir().resolve("run/runc").toString(), "pause", frozenId)
                .inheritIO().start();
        assertThat(pause.waitFor()).isZero();

        daemon.kill9();
        Thread.sleep(2500); // quitter exits while no daemon is watching
        daemon.launch();

        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}}", "survivor").assertOk().out()).isEqualTo("running");
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "quitter").assertOk().out())
                .isEqualTo("exited 7");
        assertThat(gone(daemon, "never-started")).as("the --rm container that never started is removed").isTrue();
        // sqlite-jdbc's native library is unpacked under the data root, and the killed daemon's copy is gone
        try (var libs = Files.list(daemon.dir().resolve("data/tmp/native"))) {
            assertThat(libs.filter(p -> p.getFileName().toString().endsWith(".so")).count()).isEqualTo(1);
        }
        assertThat(docker(daemon, "logs", "survivor").assertOk().stdout()).contains("tick 1");
        assertThat(docker(daemon, "exec", "survivor", "echo", "still here").assertOk().out()).isEqualTo("still here");
        docker(daemon, "stop", "-t", "2", "survivor").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}}", "survivor").out()).isEqualTo("exited");

        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}}", "frozen").assertOk().out()).isEqualTo("running");
        assertThat(docker(daemon, "exec", "frozen", "echo", "thawed").assertOk().out()).isEqualTo("thawed");
        docker(daemon, "stop", "-t", "1", "frozen").assertOk(); // it hung (the CLI's own wait ends at 120 s)
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Status}}", "frozen").out()).isEqualTo("exited");

        docker(daemon, "rm", "survivor", "quitter", "frozen").assertOk();
        Path data = daemon.dir().resolve("data");
        assertThat(Mounts.under(data)).as("mounts left under the data root").isEmpty();
        assertThat(conmonsUnder(daemon.dir())).as("conmon processes left").isZero();
    }

    @Test
    void aGracefulStop_cancelsTheBuildsUnderWay_andLeavesNoStepBehind() throws Exception {
        Path ctx = Files.createDirectories(daemon.dir().resolve("stop-ctx"));
        String marker = "sleep 61" + ProcessHandle.current().pid() % 7; // this test's step, among the host's processes
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\nRUN " + marker + "\n");
        ProcessBuilder pb = new ProcessBuilder("docker", "build", "--no-cache", "-t", "stopped", ctx.toString())
                .redirectErrorStream(true);
        pb.environment().putAll(daemon.clientEnv());
        pb.environment().put("DOCKER_BUILDKIT", "0");
        Process build = pb.start();
        for (int i = 0; i < 200 && stepsRunning(marker) == 0; i++) {
            Thread.sleep(50);
        }
        assertThat(stepsRunning(marker)).as("the RUN step started").isPositive();

        daemon.stop(); // SIGTERM

        String out = new String(build.getInputStream().readAllBytes());
        assertThat(build.waitFor()).isNotZero();
        assertThat(out).contains("the build was cancelled: the daemon is shutting down");
        assertThat(stepsRunning(marker)).as("the step's process outlived the daemon until its next start").isZero();
        assertThat(Mounts.under(daemon.dir().resolve("data"))).as("the step's snapshot").isEmpty();
        daemon.launch();
    }

    /** Processes whose command line is exactly {@code cmd}. */
    private static long stepsRunning(String cmd) throws Exception {
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).filter(p -> {
                try {
                    return new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ').trim().equals(cmd);
                } catch (Exception gone) {
                    return false;
                }
            }).count();
        }
    }

    /** Whether the container goes within 5 s (the daemon removes --rm containers beside serving requests). */
    private static boolean gone(SkiffdProcess daemon, String name) throws InterruptedException {
        for (int i = 0; i < 50; i++) {
            if (docker(daemon, "ps", "-a", "-q", "--filter", "name=^" + name + "$").assertOk().out().isEmpty()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    /** Counts conmon processes whose command line mentions the test's directory. */
    private static long conmonsUnder(Path dir) throws Exception {
        long n = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline"))).replace('\0', ' ');
                    if (cmd.startsWith("conmon") || cmd.contains("/conmon ")) {
                        if (cmd.contains(dir.toString())) {
                            n++;
                        }
                    }
                } catch (Exception gone) {
                    // the process ended while we looked
                }
            }
        }
        return n;
    }
}

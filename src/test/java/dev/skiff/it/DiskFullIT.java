package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The data root's filesystem full: errors that say so, nothing half-written, no exit lost once there is room. */
class DiskFullIT {
    SkiffdProcess daemon;

    @AfterEach
    void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void aFullDataRoot_failsCleanly_andTheExitItHeldUpIsRecordedWithItsCode() throws Exception {
        daemon = SkiffdProcess.startWithBusyboxOnTmpfs(48);
        Path data = daemon.dir().resolve("data");
        Path saved = daemon.dir().resolve("busybox.tar"); // beside the data root, not on it
        docker(daemon, "save", "-o", saved.toString(), "busybox").assertOk();
        docker(daemon, "run", "-d", "--name", "filler", "busybox", "sh", "-c",
                "dd if=/dev/zero of=/big bs=1M count=100; exit 3").assertOk();
        String id = docker(daemon, "inspect", "-f", "{{.Id}}", "filler").assertOk().out();
        Path exitFile = daemon.dir().resolve("run/exits").resolve(id);
        for (int i = 0; i < 300 && !Files.exists(exitFile); i++) {
            Thread.sleep(100); // dd stops when the disk is full; the container exits, conmon says so in the exec root
        }
        assertThat(exitFile).as("the container exited").exists();

        Cli.Result commit = docker(daemon, "commit", "filler", "full:1");
        assertThat(commit.exitCode()).isNotZero();
        assertThat(commit.stderr()).contains("No space left on device").contains("free space on it");
        Cli.Result load = docker(daemon, "load", "-i", saved.toString());
        assertThat(load.exitCode()).isNotZero();
        assertThat(load.stderr()).contains("No space left on device").doesNotContain("truncated");

        daemon.resizeDataRoot(256);
        String state = "";
        for (int i = 0; i < 150 && !state.equals("exited 3"); i++) {
            Thread.sleep(100); // the exit monitor's sweep (every 5 s) records what the full disk held up
            state = docker(daemon, "inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "filler").assertOk().out();
        }
        assertThat(state).as("its own exit code, recorded once there is room (it was lost)").isEqualTo("exited 3");
        assertThat(docker(daemon, "images", "-q", "full").assertOk().out()).isEmpty();
        assertThat(entries(data.resolve("layers"))).as("busybox's layer alone").isEqualTo(1);
        assertThat(entries(data.resolve("content/ingest"))).isZero();
        docker(daemon, "rm", "filler").assertOk();
        docker(daemon, "run", "--rm", "busybox", "true").assertOk();
    }

    private static long entries(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}

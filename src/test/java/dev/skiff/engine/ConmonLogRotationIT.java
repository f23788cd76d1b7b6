package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.sys.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real conmon 2.1.6 and runc: a container writes 2000 lines through conmon with --log-size-max 20000, so
 * conmon replaces its log file several times; the rotation watcher keeps every replaced file and the reader
 * reads all 2000 lines back in order. Also checks the exit file conmon writes (named by the container ID).
 */
class ConmonLogRotationIT {
    private static final String ID = "ab".repeat(32);

    @TempDir
    Path tmp;
    private Path runcRoot;
    private Path conmonPid;

    @BeforeEach
    void requireRealParts() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/conmon")), "needs conmon");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")), "needs runc");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (runcRoot != null) {
            run(List.of("/usr/sbin/runc", "--root=" + runcRoot, "delete", "-f", ID), true);
        }
        if (conmonPid != null && Files.exists(conmonPid)) {
            long pid = Long.parseLong(Files.readString(conmonPid).trim());
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroyForcibly();
                h.onExit().join();
            });
        }
    }

    @Test
    void rotatedLogsAreKeptAndReadInOrder() throws Exception {
        Path bundle = tmp.resolve("bundle");
        Path rootfs = bundle.resolve("rootfs");
        Files.createDirectories(rootfs);
        Path tar = tmp.resolve("busybox.tar");
        Path repo = Path.of(System.getProperty("skiff.repo", "."));
        new ProcessBuilder(repo.resolve("bin/busybox-rootfs").toString()).redirectOutput(tar.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        run(List.of("tar", "-xf", tar.toString(), "-C", rootfs.toString()), false);
        run(List.of("/usr/sbin/runc", "spec", "--bundle", bundle.toString()), false);
        ObjectNode spec = (ObjectNode) Json.MAPPER.readTree(bundle.resolve("config.json").toFile());
        ((ObjectNode) spec.get("process")).put("terminal", false);
        ((ObjectNode) spec.get("process")).set("args", Json.MAPPER.valueToTree(List.of("sh", "-c",
                "i=0; while [ $i -lt 2000 ]; do echo \"line number $i\"; i=$((i+1)); "
                        + "if [ $((i % 20)) -eq 0 ]; then sleep 0.05; fi; done; exit 3")));
        ((ObjectNode) spec.get("root")).put("readonly", false);
        Json.MAPPER.writeValue(bundle.resolve("config.json").toFile(), spec);

        runcRoot = tmp.resolve("runc");
        conmonPid = tmp.resolve("conmon.pid");
        Path exits = tmp.resolve("exits");
        Path log = tmp.resolve("container.log");
        Files.createDirectories(exits);
        Files.createDirectories(tmp.resolve("sock"));
        try (LogRotationWatcher watcher = new LogRotationWatcher()) {
            run(List.of("/usr/bin/conmon", "--api-version", "1", "-c", ID, "-u", ID, "-n", "rotation-it",
                    "-r", "/usr/sbin/runc", "-b", bundle.toString(), "-p", tmp.resolve("ctr.pid").toString(),
                    "-P", conmonPid.toString(), "-l", "k8s-file:" + log, "--log-size-max", "20000",
                    "--exit-dir", exits.toString(), "--socket-dir-path", tmp.resolve("sock").toString(),
                    "--runtime-arg", "--root=" + runcRoot), false);
            // conmon returns before runc create has finished: the container's pid file says it has
            for (int i = 0; i < 200 && !Files.exists(tmp.resolve("ctr.pid")); i++) {
                Thread.sleep(50);
            }
            watcher.watch(ID, log, 100);
            run(List.of("/usr/sbin/runc", "--root=" + runcRoot, "start", ID), false);
            Path exitFile = exits.resolve(ID);
            for (int i = 0; i < 600 && !Files.exists(exitFile); i++) {
                Thread.sleep(50);
            }
            assertThat(exitFile).hasContent("3");
            Thread.sleep(200);
        }
        assertThat(log.resolveSibling("container.log.1")).exists();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogReader(log, LogReader.Options.all()).copyTo(new StreamWriter(out, false), () -> false, () -> false);
        String[] lines = out.toString().split("\n");
        assertThat(lines).hasSize(2000);
        assertThat(lines[0]).isEqualTo("line number 0");
        assertThat(lines[1999]).isEqualTo("line number 1999");
    }

    private static void run(List<String> cmd, boolean ignoreFailure) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " timed out");
        }
        if (p.exitValue() != 0 && !ignoreFailure) {
            throw new IOException(cmd + " failed: " + output);
        }
    }
}

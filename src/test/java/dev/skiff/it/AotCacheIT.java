package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/aot-train records the daemon's AOT cache, and bin/skiffd starts with it mapped and no complaint; it records the
 * CLI's from commands that all ran, and a JVM that must map it runs the CLI with it.
 */
class AotCacheIT {
    @TempDir
    Path tmp;

    @Test
    void trainedCache_isMappedByTheNextStart() throws Exception {
        Requirements.assumeContainerHost();
        Path repo = Cli.repo();
        Path cache = repo.resolve("target/skiffd.aot");
        Process train = new ProcessBuilder(repo.resolve("bin/aot-train").toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("train.log").toFile()).start();
        assertThat(train.waitFor(180, TimeUnit.SECONDS)).as("aot-train finishes").isTrue();
        assertThat(train.exitValue()).as(Files.readString(tmp.resolve("train.log"))).isZero();
        assertThat(Files.size(cache)).isGreaterThan(1 << 20);
        String trained = Files.readString(tmp.resolve("train.log"));
        assertThat(trained).as("every training command ran").doesNotContain("failed");
        Path cliCache = repo.resolve("target/skiff-cli.aot");
        assertThat(Files.size(cliCache)).isGreaterThan(1 << 20);

        String bridge = "skaotit" + ProcessHandle.current().pid() % 10000;
        Path sock = tmp.resolve("s.sock");
        Path log = tmp.resolve("skiffd.log");
        Process daemon = new ProcessBuilder(repo.resolve("bin/skiffd").toString(), "-H", "unix://" + sock,
                "--data-root", tmp.resolve("data").toString(), "--exec-root", tmp.resolve("run").toString(),
                "-b", bridge, "--bip", "10.254.252.1/24")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean up = false;
            for (int i = 0; i < 300 && !up && daemon.isAlive(); i++) {
                Process ping = new ProcessBuilder("docker", "-H", "unix://" + sock, "version")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                up = ping.waitFor(10, TimeUnit.SECONDS) && ping.exitValue() == 0;
                if (!up) {
                    Thread.sleep(100);
                }
            }
            assertThat(up).as(Files.readString(log)).isTrue();
            // bin/skiffd execs the JVM, so this is the daemon's own process
            List<String> maps = Files.readAllLines(Path.of("/proc", Long.toString(daemon.pid()), "maps"));
            assertThat(maps).as("the cache is mapped").anyMatch(l -> l.endsWith(cache.toString()));
            assertThat(Files.readString(log, StandardCharsets.UTF_8)).doesNotContain("[aot]");
            // AOTMode=on: the JVM refuses to start unless it maps the cache (bin/skiff itself would run on without)
            Process cli = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:AOTMode=on", "-XX:AOTCache=" + cliCache,
                    "-cp", repo.resolve("target/skiff-0.1.0-SNAPSHOT.jar").toString(), "dev.skiff.cli.Main",
                    "-H", "unix://" + sock, "ps", "-a")
                    .redirectErrorStream(true).redirectOutput(tmp.resolve("cli.log").toFile()).start();
            assertThat(cli.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(cli.exitValue()).as(Files.readString(tmp.resolve("cli.log"))).isZero();
        } finally {
            daemon.destroy(); // SIGTERM: skiffd shuts down cleanly
            if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
                daemon.destroyForcibly().waitFor();
            }
            TestNetworks.removeBridge(bridge); // and the rules naming it (its masquerade rule was left before)
        }
    }
}

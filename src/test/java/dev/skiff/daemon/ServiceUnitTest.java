package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** contrib/systemd/skiffd.service: systemd accepts it, skiffd accepts its flags, and a stop leaves containers be. */
class ServiceUnitTest {
    private static final Path UNIT = Path.of("contrib/systemd/skiffd.service");

    @TempDir
    Path dir;

    private static String execStart(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
                .substring("ExecStart=".length());
    }

    @Test
    void stoppingTheServiceStopsOnlySkiffd_andItsFlagsAreSkiffds() throws Exception {
        List<String> lines = Files.readAllLines(UNIT, StandardCharsets.UTF_8);
        assertThat(lines).contains("KillMode=process", "Delegate=yes", "ExecReload=/bin/kill -s HUP $MAINPID");
        String[] command = execStart(lines).split(" ");
        assertThat(command[0]).endsWith("/bin/skiffd");
        DaemonOptions options = new DaemonOptions();
        String[] args = Arrays.copyOf(Arrays.copyOfRange(command, 1, command.length), command.length + 1);
        args[command.length - 1] = "--config-file"; // not this machine's /etc/skiff/daemon.json
        args[command.length] = Files.writeString(dir.resolve("daemon.json"), "{}").toString();
        new CommandLine(options).parseArgs(args);
        assertThat(options.resolve().hosts()).containsExactly(DaemonOptions.DEFAULT_SOCKET);
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "needs systemd-analyze");
        List<String> lines = Files.readAllLines(UNIT, StandardCharsets.UTF_8);
        String start = execStart(lines);
        // verify checks that the program exists: this checkout's
        String here = start.replace("/opt/skiff/bin/skiffd", Path.of("bin/skiffd").toAbsolutePath().toString());
        Path copy = dir.resolve("skiffd.service");
        Files.write(copy, lines.stream().map(l -> l.startsWith("ExecStart=") ? "ExecStart=" + here : l).toList());
        Process p = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).as("no warnings").isBlank();
    }
}

package dev.skiff.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

class ConfigReloadTest {
    @TempDir
    Path dir;

    @AfterEach
    void backToInfo() {
        dev.skiff.sys.LogSetup.setLevel("info");
    }

    private DaemonOptions options(String... args) {
        DaemonOptions o = new DaemonOptions();
        new CommandLine(o).parseArgs(args);
        return o.resolve();
    }

    @Test
    void reload_takesTheFilesLogLevel_asEditedSinceTheStart() throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\"log-level\": \"info\"}");
        DaemonOptions o = options("--config-file", file.toString());
        Files.writeString(file, "{\"log-level\": \"debug\"}");

        ConfigReload.reload(o);

        assertThat(LoggerFactory.getLogger("any").isDebugEnabled()).isTrue();
        Files.writeString(file, "{}");
        assertThat(o.reloadedLogLevel()).isEqualTo("info");
    }

    @Test
    void aLevelGivenOnTheCommandLine_stillWins() throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\"log-level\": \"debug\"}");
        DaemonOptions o = options("--config-file", file.toString(), "--log-level", "warn");
        assertThat(o.reloadedLogLevel()).isEqualTo("warn");
    }

    @Test
    void aFileThatNoLongerParses_isAnError_andTheRunningLevelStays() throws Exception {
        Path file = dir.resolve("daemon.json");
        Files.writeString(file, "{\"log-level\": \"warn\"}");
        DaemonOptions o = options("--config-file", file.toString());
        ConfigReload.reload(o);
        Files.writeString(file, "{broken");

        assertThatThrownBy(o::reloadedLogLevel).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("unable to read daemon configuration");
        ConfigReload.reload(o); // logs the error, changes nothing
        assertThat(LoggerFactory.getLogger("any").isWarnEnabled()).isTrue();
        assertThat(LoggerFactory.getLogger("any").isInfoEnabled()).isFalse();
    }
}

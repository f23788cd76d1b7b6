package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecFailureLogTest {
    @TempDir
    Path dir;

    @Test
    void error_isTheLastErrorRuncLogged_readOnce() throws Exception {
        Path log = dir.resolve("exec.log");
        Files.writeString(log, """
                {"level":"warning","msg":"a warning","time":"2026-12-06T00:00:00Z"}
                {"level":"error","msg":"exec failed: unable to start container process: exec: \\"nosuch\\": executable file not found in $PATH","time":"2026-12-06T00:00:00Z"}
                """);
        ExecFailureLog failure = new ExecFailureLog(log);

        assertThat(failure.error()).isEqualTo("exec failed: unable to start container process: exec: \"nosuch\": "
                + "executable file not found in $PATH");
        Files.delete(log); // the session cleans up after its exit code was decided; the output may ask later
        assertThat(failure.error()).startsWith("exec failed: unable to start container process");
    }

    @Test
    void error_isNull_withoutALogOrAnError() throws Exception {
        assertThat(new ExecFailureLog(dir.resolve("absent.log")).error()).isNull();
        Path log = dir.resolve("quiet.log");
        Files.writeString(log, "{\"level\":\"info\",\"msg\":\"fine\"}\n");
        assertThat(new ExecFailureLog(log).error()).isNull();
    }
}

package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exec's runc failing with its log gone (the container's directory removed by a racing `docker rm -f`): dockerd's
 * line and 126, not runc's raw stderr and its exit status (1 or 255, which the docker CLI passed on as the exec's).
 * A shell stands in for runc.
 */
class RuncExecSessionTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String stdout, String stderr) {
    }

    private Outcome run(String script, boolean pidFileWritten) throws Exception {
        Path pidFile = dir.resolve("exec.pid");
        if (pidFileWritten) {
            Files.writeString(pidFile, "1");
        }
        Process p = new ProcessBuilder("sh", "-c", script).start();
        p.getOutputStream().close();
        RuncExecSession s = new RuncExecSession(p, pidFile, dir.resolve("gone/exec.log"), dir.resolve("exec.json"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        while (s.readOutput((stream, data, off, len) -> (stream == 1 ? out : err).write(data, off, len))) {
            // until both streams end
        }
        return new Outcome(s.waitFor(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void runcsJsonLineOnStderr_whenItCouldNotOpenItsLog_isAFailedExec() throws Exception {
        Outcome o = run("echo '{\"level\":\"error\",\"msg\":\"open /run/c/x/exec.log: no such file or directory\"}' >&2;"
                + " exit 1", false);
        assertThat(o.code()).isEqualTo(126);
        assertThat(o.stdout()).isEqualTo("OCI runtime exec failed: open /run/c/x/exec.log: no such file or directory:"
                + " unknown\r\n");
        assertThat(o.stderr()).isEmpty();
    }

    @Test
    void runcsPlainMessage_whenItFailedWithoutALog_isAFailedExec() throws Exception {
        Outcome o = run("echo 'exec failed: container does not exist' >&2; exit 255", false);
        assertThat(o.code()).isEqualTo(126);
        assertThat(o.stdout()).isEqualTo("OCI runtime exec failed: exec failed: container does not exist: unknown\r\n");
    }

    @Test
    void aProcessThatRan_keepsItsStderrAndExitStatus() throws Exception {
        Outcome ran = run("echo '{\"level\":\"error\",\"msg\":\"mine\"}' >&2; exit 3", true);
        assertThat(ran.code()).isEqualTo(3);
        assertThat(ran.stderr()).contains("\"msg\":\"mine\"");
        assertThat(ran.stdout()).isEmpty();
        Files.deleteIfExists(dir.resolve("exec.pid")); // the session cleans up after itself
        Outcome plain = run("echo 'usage: x' >&2; exit 1", false); // not runc's: no JSON, not 255
        assertThat(plain.code()).isEqualTo(1);
        assertThat(plain.stderr()).isEqualTo("usage: x\n");
    }
}

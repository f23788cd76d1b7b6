package dev.skiff.runtime.unix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** posix_spawn through FFM: descriptors, environment, signals, exit statuses, and the Process it backs. */
class SpawnTest {
    @TempDir
    Path dir;

    private static String run(SpawnedProcess p) throws Exception {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().close();
        return out;
    }

    @Test
    void aChildHasExactlyItsEnvironmentAndStandardDescriptors() throws Exception {
        SpawnedProcess env = SpawnedProcess.start("/usr/bin/env", List.of("env"), Map.of("ONLY", "one"), false);
        assertThat(run(env)).isEqualTo("ONLY=one\n");
        // ls lists its own descriptors: 0-2 and the directory it reads (3); the daemon's many stayed behind. (A shell
        // listing its own from a pipeline would see the pipeline's pipes now and then.)
        SpawnedProcess ls = SpawnedProcess.start("/bin/ls", List.of("ls", "/proc/self/fd"), Map.of(), false);
        assertThat(run(ls)).isEqualTo("0\n1\n2\n3\n");
        SpawnedProcess p = SpawnedProcess.start("/bin/sh", List.of("sh", "-c", "echo oops >&2; exit 3"), Map.of(), false);
        run(p);
        assertThat(p.waitFor()).isEqualTo(3);
        assertThat(p.exitValue()).isEqualTo(3);
        assertThat(p.isAlive()).isFalse();
    }

    @Test
    void withoutClosefromEveryOtherDescriptorIsClosedByName() throws Exception {
        boolean was = Spawn.closeByName;
        Spawn.closeByName = true;
        try {
            int[] p = Spawn.pipe();
            Path out = dir.resolve("fds");
            int pid = Spawn.start("/bin/sh", List.of("sh", "-c", "echo x >&3; exec ls /proc/self/fd"),
                    Map.of(), List.of(Spawn.Stdio.DEV_NULL, Spawn.Stdio.append(out.toString()), Spawn.Stdio.DEV_NULL,
                            new Spawn.Stdio.Fd(p[1])));
            FileInputStream three = new FileInputStream("/proc/self/fd/" + p[0]);
            Posix.close(p[0]);
            Posix.close(p[1]);
            assertThat(new String(three.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("x\n");
            assertThat(Spawn.waitFor(pid)).isZero();
            assertThat(Files.readString(out)).isEqualTo("0\n1\n2\n3\n4\n"); // 3: the pipe given, 4: ls's directory
        } finally {
            Spawn.closeByName = was;
        }
    }

    @Test
    void stderrIsItsOwnPipeAndStdinCanBePiped() throws Exception {
        SpawnedProcess p = SpawnedProcess.start("/bin/sh", List.of("sh", "-c", "read x; echo got $x >&2"),
                Map.of(), true);
        p.getOutputStream().write("hello\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got hello\n");
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void stdinIsDevNullUnlessPiped() throws Exception {
        SpawnedProcess p = SpawnedProcess.start("/bin/sh", List.of("sh", "-c", "readlink /proc/self/fd/0; cat"),
                Map.of(), false);
        assertThat(run(p)).isEqualTo("/dev/null\n");
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void signalsAreDefaultAndUnblockedInTheChild() throws Exception {
        SpawnedProcess p = SpawnedProcess.start("/bin/grep", List.of("grep", "-E", "^Sig(Ign|Blk)", "/proc/self/status"),
                Map.of(), false);
        assertThat(run(p)).isEqualTo("SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\n");
    }

    @Test
    void descriptorsGoWhereTheyAreAskedEvenWhenTheirNumbersCross() throws Exception {
        int[] a = Spawn.pipe();
        int[] b = Spawn.pipe();
        Path out = dir.resolve("out");
        // the child's 3 is our b's write end and its 1 the file, whatever numbers our ends have
        int pid = Spawn.start("/bin/sh", List.of("sh", "-c", "echo to-three >&3; echo to-one; echo to-two >&2"),
                Map.of(), List.of(new Spawn.Stdio.Fd(a[0]), Spawn.Stdio.append(out.toString()),
                        Spawn.Stdio.append(out.toString()), new Spawn.Stdio.Fd(b[1])));
        FileInputStream three = new FileInputStream("/proc/self/fd/" + b[0]);
        for (int fd : new int[] {a[0], a[1], b[0], b[1]}) {
            Posix.close(fd);
        }
        assertThat(new String(three.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("to-three\n");
        assertThat(Spawn.waitFor(pid)).isZero();
        assertThat(Files.readString(out)).isEqualTo("to-one\nto-two\n");
    }

    @Test
    void aBareNameIsLookedForOnThePath() throws Exception {
        SpawnedProcess p = SpawnedProcess.start("true", List.of("true"), Map.of(), false);
        assertThat(p.waitFor()).isZero();
    }

    @Test
    void aMissingProgramIsAnErrorNamingIt() {
        assertThatThrownBy(() -> SpawnedProcess.start("/nonexistent/prog", List.of("prog"), Map.of(), false))
                .isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/prog")
                .hasMessageContaining("No such file");
    }

    @Test
    void destroyKillsAndTheStatusSaysBySignal() throws Exception {
        SpawnedProcess p = SpawnedProcess.start("/bin/sleep", List.of("sleep", "100"), Map.of(), false);
        assertThat(p.waitFor(50, TimeUnit.MILLISECONDS)).isFalse();
        assertThat(p.isAlive()).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor()).isEqualTo(128 + 9);
        assertThat(p.onExit().get(5, TimeUnit.SECONDS)).isSameAs(p);
        p.destroy(); // reaped: no signal goes to whatever has the PID now
    }

    @Test
    void waitingOnAVirtualThreadParksIt() throws Exception {
        SpawnedProcess p = SpawnedProcess.start("/bin/sh", List.of("sh", "-c", "exit 7"), Map.of(), false);
        int[] code = new int[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                code[0] = p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.join(5000);
        assertThat(code[0]).isEqualTo(7);
    }

    @Test
    void reapTakesAnExitedChildAtOnce() throws Exception {
        int pid = Spawn.start("/bin/true", List.of("true"), Map.of(), List.of(Spawn.Stdio.DEV_NULL));
        Thread.sleep(50);
        SpawnedProcess.reap(pid);
        assertThatThrownBy(() -> Spawn.poll(pid)).isInstanceOf(IOException.class); // ECHILD: reaped
    }

    @Test
    void decodeReadsWaitStatuses() {
        assertThat(Spawn.decode(0)).isZero();
        assertThat(Spawn.decode(3 << 8)).isEqualTo(3);
        assertThat(Spawn.decode(9)).isEqualTo(137);
        assertThat(Spawn.decode(15 | 0x80)).isEqualTo(143); // core dumped
    }

    @Test
    void pipeEndsAreCloseOnExec() throws Exception {
        int[] p = Spawn.pipe();
        try (var out = new FileOutputStream("/proc/self/fd/" + p[1])) {
            String flags = Files.readAllLines(Path.of("/proc/self/fdinfo/" + p[0])).stream()
                    .filter(l -> l.startsWith("flags:")).findFirst().orElseThrow();
            long f = Long.parseLong(flags.substring(6).trim(), 8);
            assertThat(f & Posix.O_CLOEXEC).isNotZero();
        } finally {
            Posix.close(p[0]);
            Posix.close(p[1]);
        }
    }
}

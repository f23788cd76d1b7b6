package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.runtime.unix.Posix;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A launcher shell a crashed daemon left blocked on its sync FIFO is ended at the next start, and only its own. */
class StuckLauncherTest {
    private static final String WRAPPER = "exec \"$0\" \"$@\" 3>\"$SKIFF_SYNC_FIFO\"";

    @Test
    void aLauncherWaitingForItsReader_isKilled_anotherDaemonsIsLeftAlone(@TempDir Path dir) throws Exception {
        ExecRoot ours = new ExecRoot(dir.resolve("ours"));
        ExecRoot theirs = new ExecRoot(dir.resolve("theirs"));
        Process stuck = launcher(dir.resolve("fifo1"), ours);
        Process other = launcher(dir.resolve("fifo2"), theirs);
        try {
            Thread.sleep(200); // both are now blocked in open(2) on their FIFO
            assertThat(stuck.isAlive()).isTrue();

            assertThat(ConmonLauncher.killStuckLaunchers(ours)).isEqualTo(1);

            assertThat(stuck.waitFor(5, TimeUnit.SECONDS)).isTrue();
            assertThat(other.isAlive()).isTrue();
            assertThat(ConmonLauncher.killStuckLaunchers(ours)).isZero();
        } finally {
            stuck.destroyForcibly();
            other.destroyForcibly();
        }
    }

    /** The shell ConmonLauncher starts, with /bin/true standing in for conmon: it never gets past the FIFO. */
    private static Process launcher(Path fifo, ExecRoot root) throws Exception {
        Posix.mkfifo(fifo.toString(), 0600);
        ProcessBuilder pb = new ProcessBuilder(List.of("/bin/sh", "-c", WRAPPER, "/bin/true",
                "--exit-dir", root.exits().toString()));
        pb.environment().put("SKIFF_SYNC_FIFO", fifo.toString());
        return pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    }
}

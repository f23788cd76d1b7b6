package dev.skiff.runtime.runc;

import dev.skiff.runtime.ExecSession;
import dev.skiff.runtime.StartFailure;
import dev.skiff.runtime.unix.Posix;
import dev.skiff.runtime.unix.Pty;
import dev.skiff.runtime.unix.Spawn;
import dev.skiff.runtime.unix.SpawnedProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process with a terminal, run by a foreground "runc exec -t". runc allows --console-socket only when it
 * detaches, and a detached exec loses the exit status; so runc stays in the foreground and copies between the
 * container's terminal and its own stdio, which is the slave of a pty we opened. We read and write our master;
 * a resize sets our terminal's size and sends runc SIGWINCH, on which runc copies its stdin's size inward.
 * runc's exit status is the process's, as for {@link RuncExecSession}.
 *
 * <p>The reader thread owns the master: it closes it at EOF (EIO once the process and its children have
 * gone). Closing the session only stops delivering output, it never hangs up the process (as docker exec).
 */
final class RuncTtyExecSession implements ExecSession {
    private static final int RUNC_FAILED = 255;
    private static final int SIGWINCH = 28;

    private final Process process;
    private final Path pidFile, log, processJson;
    private final ExecFailureLog runcFailure;
    private final OutputQueue output = new OutputQueue(1);
    private final int master;
    private volatile boolean closed;

    private RuncTtyExecSession(Process process, int master, Path pidFile, Path log, Path processJson) {
        this.process = process;
        this.master = master;
        this.pidFile = pidFile;
        this.log = log;
        this.runcFailure = new ExecFailureLog(log);
        this.processJson = processJson;
        if (master < 0) {
            output.finish(null);
        } else {
            // A platform thread: read(2) through FFM blocks its carrier.
            Thread.ofPlatform().daemon().name("exec-tty-" + master).start(this::pump);
        }
    }

    /** Starts {@code cmd} (a "runc exec --tty" without a console socket) on a new terminal. */
    static RuncTtyExecSession start(List<String> cmd, Path pidFile, Path log, Path processJson) throws IOException {
        Pty.Pair pty = Pty.open();
        try {
            // The slave is opened by the child, never here: a daemon that leads its session (systemd starts services
            // so, as does setsid) and opens a terminal without O_NOCTTY takes it as its controlling terminal, and the
            // hangup when the exec ends sends it SIGHUP, which stopped skiffd. posix_spawn's child leads no session:
            // it opens the terminal as runc's stdin and stdout before it execs runc.
            Process p = SpawnedProcess.start(cmd.getFirst(), cmd, RuntimeEnvironment.trimmed(), List.of(
                    new Spawn.Stdio.File(pty.slave(), Spawn.O_RDONLY, 0),
                    new Spawn.Stdio.File(pty.slave(), Spawn.O_WRONLY | Spawn.O_APPEND, 0), Spawn.Stdio.DEV_NULL));
            return new RuncTtyExecSession(p, pty.master(), pidFile, log, processJson);
        } catch (IOException e) {
            Posix.close(pty.master());
            throw e;
        }
    }

    private void pump() {
        byte[] buf = new byte[32 * 1024];
        IOException failure = null;
        try {
            int n;
            while ((n = Pty.read(master, buf)) > 0) {
                if (!closed) {
                    output.put(STDOUT, buf, 0, n);
                }
            }
        } catch (IOException e) {
            failure = closed ? null : e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Posix.close(master);
            announceRuncFailure();
            output.finish(failure);
        }
    }

    /**
     * The terminal went quiet because runc itself failed (a missing command, say): its complaint went to its stderr,
     * which nobody reads here, so dockerd's line for it is written to the terminal's output instead.
     */
    private void announceRuncFailure() {
        try {
            if (closed || !process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)
                    || process.exitValue() != RUNC_FAILED) {
                return;
            }
            String error = runcFailure.error();
            if (error != null) {
                byte[] line = RuncExecSession.failureLine(error);
                output.put(STDOUT, line, 0, line.length);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int pid() {
        return new RuncExecSession.PidFile(pidFile, process).await();
    }

    @Override
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        if (code == RUNC_FAILED) {
            String error = runcFailure.error();
            if (error != null) {
                code = StartFailure.of(error).execExitCode();
            }
        }
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(log);
            Files.deleteIfExists(processJson);
        } catch (IOException e) {
            // the container directory goes with the container anyway
        }
        return code;
    }

    @Override
    public boolean readOutput(OutputSink sink) throws IOException {
        return output.read(sink);
    }

    @Override
    public void writeStdin(byte[] data, int off, int len) throws IOException {
        Pty.write(master, data, off, len);
    }

    @Override
    public void closeStdin() {
        // A terminal has no separate stdin to close; the process ends when it decides to (or on Ctrl-D it reads).
    }

    @Override
    public void resize(int height, int width) throws IOException {
        Pty.resize(master, height, width);
        dev.skiff.sys.Syscalls.kill((int) process.pid(), SIGWINCH);
    }

    @Override
    public void close() {
        closed = true;
        output.drain();
    }
}

package dev.skiff.runtime.runc;

import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.ExecSession;
import dev.skiff.runtime.StartFailure;
import dev.skiff.runtime.unix.BlockingThreads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process run by "runc exec --process FILE ID" or by skiff-exec ({@link ExecHelper}) in the foreground: without a
 * terminal either hands the process our pipes directly, so stdio costs no extra copy, and its exit status is the
 * process's (128+signal when killed). Their own failures (255) are read from the JSON log (skiff-exec writes runc's
 * format) and mapped to Docker's 126/127 with {@link StartFailure}.
 *
 * <p>runc also prints such a failure on its stderr, which is the process's: what comes on stderr before the
 * process is known to run (its pid file) is held back, and if runc then fails it is dropped for dockerd's line on
 * stdout, "OCI runtime exec failed: ...: unknown", which is what people and scripts look for.
 */
final class RuncExecSession implements ExecSession {
    /** runc's exit status when runc itself, not the process, failed. */
    private static final int RUNC_FAILED = 255;
    /** More held-back stderr than this is the process's own output, not runc's one-line error. */
    private static final int HELD_MAX = 64 * 1024;

    private final Process process;
    private final Path pidFile, log, processJson;
    private final ExecFailureLog runcFailure;
    private final OutputQueue output = new OutputQueue(2);
    /** Guards the stderr gate: {@link #started} and {@link #held}. */
    private final Object gate = new Object();
    private boolean started;
    /** runc's error when it failed before it could log (see {@link #earlyError}); set before the output ends. */
    private volatile String earlyError;
    private static final int CANNOT_EXEC = 126;
    private final java.io.ByteArrayOutputStream held = new java.io.ByteArrayOutputStream();

    RuncExecSession(Process process, Path pidFile, Path log, Path processJson) {
        this.process = process;
        this.pidFile = pidFile;
        this.log = log;
        this.runcFailure = new ExecFailureLog(log);
        this.processJson = processJson;
        pump(process.getInputStream(), STDOUT);
        pump(process.getErrorStream(), STDERR);
    }

    private void pump(InputStream in, int stream) {
        // a platform thread: a FileInputStream's read of a pipe (skiff-exec's) holds a virtual thread's carrier
        BlockingThreads.start(() -> {
            IOException failure = null;
            byte[] buf = new byte[32 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    if (stream == STDOUT || !hold(buf, n)) {
                        output.put(stream, buf, 0, n);
                    }
                }
                if (stream == STDERR) {
                    settleHeld();
                }
            } catch (IOException e) {
                failure = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                output.finish(failure);
            }
        });
    }

    /** Keeps a stderr chunk back while the process is not known to run; false when it may go out at once. */
    private boolean hold(byte[] buf, int n) throws InterruptedException {
        synchronized (gate) {
            if (started) {
                return false;
            }
            held.write(buf, 0, n);
            if (held.size() > HELD_MAX) {
                release();
            }
            return true;
        }
    }

    /** The process runs: what stderr held back goes out, in order, and the rest follows directly. */
    private void release() throws InterruptedException {
        synchronized (gate) {
            if (!started) {
                started = true;
                byte[] b = held.toByteArray();
                held.reset();
                if (b.length > 0) {
                    output.put(STDERR, b, 0, b.length);
                }
            }
        }
    }

    /**
     * stderr ended before the process was seen running: when runc failed, what it held was runc's own message, which
     * becomes dockerd's line on stdout; otherwise it was the process's (a command that ran and exited at once).
     */
    private void settleHeld() throws InterruptedException {
        synchronized (gate) {
            if (started) {
                return;
            }
        }
        int code = process.waitFor();
        String error = code == RUNC_FAILED ? runcFailure.error() : null;
        if (error == null && code != 0) {
            byte[] b;
            synchronized (gate) {
                b = held.toByteArray();
            }
            error = earlyError(code, b);
            earlyError = error;
        }
        if (error == null) {
            release();
            return;
        }
        synchronized (gate) {
            started = true;
            held.reset();
        }
        byte[] line = failureLine(error);
        output.put(STDOUT, line, 0, line.length);
    }

    /**
     * The error runc printed on stderr when its log could not tell it: the container's directory, with runc's --log
     * file, went with a `docker rm -f` racing the exec, and runc printed one JSON log line (it could not open the
     * log) or its plain message (it exited 255). The process never ran (no pid file). Null for anything else: a
     * process's own stderr.
     */
    private String earlyError(int code, byte[] stderr) {
        if (stderr.length == 0 || stderr.length > 4096 || Files.exists(pidFile)) {
            return null;
        }
        try {
            var node = dev.skiff.sys.Json.MAPPER.readTree(stderr);
            String level = node.path("level").asText("");
            String msg = node.path("msg").asText("");
            if ((level.equals("error") || level.equals("fatal")) && !msg.isEmpty()) {
                return msg;
            }
        } catch (IOException | RuntimeException e) {
            // not runc's JSON line
        }
        // runc failed (255) with its log gone: its plain "exec failed: container does not exist" on stderr
        String text = new String(stderr, StandardCharsets.UTF_8).strip();
        return code == RUNC_FAILED && !text.isEmpty() && text.lines().count() <= 2 ? text : null;
    }

    /** dockerd's words for an exec runc could not start, as its API writes them into the exec's output. */
    static byte[] failureLine(String runcError) {
        return ("OCI runtime exec failed: " + runcError + ": unknown\r\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public int pid() {
        int pid = new PidFile(pidFile, process).await();
        if (pid > 0) {
            try {
                release();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return pid;
    }

    /**
     * runc writes the exec'd process's pid file once it runs; it appears within milliseconds. Between looks we
     * wait on runc itself, not a plain sleep: a short process (exec CTR true) lets runc exit right after the
     * file appears, and that exit ends the wait at once.
     */
    record PidFile(Path file, Process runc) {
        int await() {
            for (int i = 0; i < 10_000; i++) {
                String pid = ExecRoot.readTrimmed(file);
                if (pid != null && !pid.isEmpty()) {
                    return Integer.parseInt(pid);
                }
                if (!runc.isAlive()) {
                    // it may have written the file just before it exited
                    String last = ExecRoot.readTrimmed(file);
                    return last != null && !last.isEmpty() ? Integer.parseInt(last) : 0;
                }
                try {
                    runc.waitFor(1, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
            return 0;
        }
    }

    @Override
    public int waitFor() throws InterruptedException {
        int code = process.waitFor();
        String logged = code == RUNC_FAILED ? runcFailure.error() : null;
        if (logged != null) {
            code = StartFailure.of(logged).execExitCode();
        } else if (earlyError != null) {
            code = CANNOT_EXEC; // dockerd's code for any exec its runtime could not start
        }
        cleanup();
        return code;
    }

    @Override
    public boolean readOutput(OutputSink sink) throws IOException {
        return output.read(sink);
    }

    @Override
    public void writeStdin(byte[] data, int off, int len) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(data, off, len);
        in.flush();
    }

    @Override
    public void closeStdin() throws IOException {
        process.getOutputStream().close();
    }

    @Override
    public void resize(int height, int width) {
        throw new UnavailableException("cannot resize exec session: it has no terminal (exec with -t to get one)");
    }

    @Override
    public void close() throws IOException {
        // Leaving the session does not end the process (as with docker exec): only our end of stdin closes.
        process.getOutputStream().close();
    }

    private void cleanup() {
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(log);
            Files.deleteIfExists(processJson);
        } catch (IOException e) {
            // the container directory goes with the container anyway
        }
    }
}

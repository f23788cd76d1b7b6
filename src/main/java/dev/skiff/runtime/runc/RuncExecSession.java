package dev.skiff.runtime.runc;

import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.ExecSession;
import dev.skiff.runtime.StartFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process run by "runc exec --process FILE ID" in the foreground: without a terminal runc hands the
 * process our pipes directly, so stdio costs no extra copy and runc's exit status is the process's
 * (128+signal when killed). runc's own failures (255) are read from its JSON log and mapped to Docker's
 * 126/127 with {@link StartFailure}.
 */
final class RuncExecSession implements ExecSession {
    /** runc's exit status when runc itself, not the process, failed. */
    private static final int RUNC_FAILED = 255;

    private final Process process;
    private final Path pidFile, log, processJson;
    private final OutputQueue output = new OutputQueue(2);
    private volatile String runcError;

    RuncExecSession(Process process, Path pidFile, Path log, Path processJson) {
        this.process = process;
        this.pidFile = pidFile;
        this.log = log;
        this.processJson = processJson;
        pump(process.getInputStream(), STDOUT);
        pump(process.getErrorStream(), STDERR);
    }

    private void pump(InputStream in, int stream) {
        Thread.ofVirtual().name("exec-" + (stream == STDOUT ? "stdout" : "stderr")).start(() -> {
            IOException failure = null;
            byte[] buf = new byte[32 * 1024];
            try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    output.put(stream, buf, 0, n);
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

    @Override
    public int pid() {
        return new PidFile(pidFile, process).await();
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
        if (code == RUNC_FAILED) {
            String error = RuncCommand.lastLoggedError(log);
            if (error != null) {
                runcError = error;
                code = StartFailure.of(error).execExitCode();
            }
        }
        cleanup();
        return code;
    }

    /** runc's own error when it could not start the process (the exit code is then 126, 127 or 128). */
    String runcError() {
        return runcError;
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

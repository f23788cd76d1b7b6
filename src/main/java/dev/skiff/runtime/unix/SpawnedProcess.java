package dev.skiff.runtime.unix;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A program started by {@link Spawn}, as a {@link Process}: stdout and stderr are pipes, stdin a pipe or /dev/null.
 * A platform thread ({@link BlockingThreads}, as the JDK's own "process reaper") waits for the exit, so
 * {@link #waitFor} on a virtual thread parks instead of holding a carrier in waitpid. The streams are plain
 * FileInputStreams: read them on platform threads too (see BlockingThreads). The PID is never signalled once reaped: the reaper looks
 * for the exit without reaping (waitid WNOWAIT) and reaps under the same lock {@link #destroy} takes, so a signal
 * can only reach the process or its zombie, never a process that has since been given the same PID.
 */
public final class SpawnedProcess extends Process {
    private static final int SIGTERM = 15, SIGKILL = 9;

    private final int pid;
    private final OutputStream stdin;
    private final InputStream stdout, stderr;
    private final CompletableFuture<Integer> exit = new CompletableFuture<>();
    private boolean reaped; // guarded by this

    private SpawnedProcess(int pid, OutputStream stdin, InputStream stdout, InputStream stderr) {
        this.pid = pid;
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts {@code path} with {@code argv} (argv[0] first) and exactly {@code env}; stdin is a pipe to
     * {@link #getOutputStream} when {@code pipeStdin}, else /dev/null.
     */
    public static SpawnedProcess start(String path, List<String> argv, Map<String, String> env, boolean pipeStdin)
            throws IOException {
        List<Integer> open = new ArrayList<>();
        try {
            int[] in = pipeStdin ? track(open, Spawn.pipe()) : null;
            int[] out = track(open, Spawn.pipe());
            int[] err = track(open, Spawn.pipe());
            int pid = Spawn.start(path, argv, env, List.of(in == null ? Spawn.Stdio.DEV_NULL : new Spawn.Stdio.Fd(in[0]),
                    new Spawn.Stdio.Fd(out[1]), new Spawn.Stdio.Fd(err[1])));
            // our ends become streams while the child's ends are still open here: opening a pipe through /proc
            // waits for the other side when nobody holds it
            SpawnedProcess p = new SpawnedProcess(pid,
                    in == null ? OutputStream.nullOutputStream() : new FileOutputStream(proc(in[1])),
                    new FileInputStream(proc(out[0])), new FileInputStream(proc(err[0])));
            BlockingThreads.start(p::reap);
            return p;
        } finally {
            for (int fd : open) {
                Posix.close(fd);
            }
        }
    }

    /**
     * Starts {@code path} with its descriptors 0.. given by {@code stdio} (files it opens, or ours): its streams here
     * are empty, as a ProcessBuilder's redirected ones.
     */
    public static SpawnedProcess start(String path, List<String> argv, Map<String, String> env, List<Spawn.Stdio> stdio)
            throws IOException {
        int pid = Spawn.start(path, argv, env, stdio);
        SpawnedProcess p = new SpawnedProcess(pid, OutputStream.nullOutputStream(), InputStream.nullInputStream(),
                InputStream.nullInputStream());
        BlockingThreads.start(p::reap);
        return p;
    }

    /**
     * Reaps {@code pid}, a child {@link Spawn} started whose streams the caller handled itself: at once when it has
     * exited (no thread handed over), else on a reaper thread when it does.
     */
    public static void reap(int pid) {
        try {
            if (Spawn.poll(pid) >= 0) {
                return;
            }
        } catch (IOException e) {
            return; // reaped already, or never ours
        }
        BlockingThreads.start(() -> {
            try {
                Spawn.waitFor(pid);
            } catch (IOException e) {
                // reaped meanwhile
            }
        });
    }

    private static int[] track(List<Integer> open, int[] pipe) {
        open.add(pipe[0]);
        open.add(pipe[1]);
        return pipe;
    }

    private static String proc(int fd) {
        return "/proc/self/fd/" + fd;
    }

    private void reap() {
        try {
            Spawn.awaitExit(pid);
            int code;
            synchronized (this) {
                code = Spawn.waitFor(pid);
                reaped = true;
            }
            exit.complete(code);
        } catch (IOException | RuntimeException e) {
            exit.completeExceptionally(e);
        }
    }

    @Override
    public OutputStream getOutputStream() {
        return stdin;
    }

    @Override
    public InputStream getInputStream() {
        return stdout;
    }

    @Override
    public InputStream getErrorStream() {
        return stderr;
    }

    @Override
    public int waitFor() throws InterruptedException {
        try {
            return exit.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot learn how process " + pid + " ended", e.getCause());
        }
    }

    @Override
    public boolean waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            exit.get(timeout, unit);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    @Override
    public int exitValue() {
        Integer code = exit.getNow(null);
        if (code == null) {
            throw new IllegalThreadStateException("process " + pid + " has not exited");
        }
        return code;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public CompletableFuture<Process> onExit() {
        return exit.handle((code, failure) -> this);
    }

    @Override
    public void destroy() {
        signal(SIGTERM);
    }

    @Override
    public Process destroyForcibly() {
        signal(SIGKILL);
        return this;
    }

    @Override
    public boolean supportsNormalTermination() {
        return true;
    }

    private synchronized void signal(int signal) {
        if (!reaped) {
            try {
                dev.skiff.sys.Syscalls.kill(pid, signal);
            } catch (IOException e) {
                // it has exited: nothing to end
            }
        }
    }
}

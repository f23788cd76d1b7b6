package dev.skiff.runtime.runc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.CreateRequest;
import dev.skiff.runtime.unix.BlockingThreads;
import dev.skiff.runtime.unix.Posix;
import dev.skiff.runtime.unix.Spawn;
import dev.skiff.runtime.unix.SpawnedProcess;
import dev.skiff.sys.Json;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts one conmon for a container and waits for its report on the sync pipe.
 *
 * <p>conmon takes the write end of its sync pipe as an inherited descriptor named by _OCI_SYNCPIPE: {@link Spawn}
 * starts it with the pipe as its fd 3 (and nothing else of the daemon's), no shell or FIFO between. (skiffd before
 * that ran a one-line sh that opened a named FIFO as fd 3 and exec'd conmon: ProcessBuilder hands a child only
 * fds 0-2; {@link #killStuckLaunchers} still finds such shells a daemon of then left.)
 *
 * <p>conmon runs "runc create", writes {"data": PID} (or a negative data and a "message") to the pipe,
 * and its daemonized child outlives the JVM, holding the container's stdio, log and exit code.
 */
final class ConmonLauncher {
    /** The launcher shell of skiffd before Spawn: it opened the sync FIFO as fd 3, then became conmon. */
    private static final String SHELL = "/bin/sh";
    private static final String WRAPPER = "exec \"$0\" \"$@\" 3>\"$SKIFF_SYNC_FIFO\"";
    /** How long runc create may take; generous because a loaded 2-core host can take seconds. */
    private static final long SYNC_TIMEOUT_SECONDS = 60;

    private final Path conmon;
    private final RuncCommand runc;
    private final ExecRoot root;

    ConmonLauncher(Path conmon, RuncCommand runc, ExecRoot root) {
        this.conmon = conmon;
        this.runc = runc;
        this.root = root;
    }

    /** The sync pipe's report: PID 1's host PID, or runc's error. */
    record SyncResult(int pid, String message) {
    }

    SyncResult launch(CreateRequest r) throws IOException {
        Path dir = root.container(r.id());
        if (r.logPath() != null) {
            Files.createDirectories(r.logPath().toAbsolutePath().getParent());
        }
        List<String> argv = new ArrayList<>(List.of(conmon.toString()));
        argv.addAll(conmonArgs(r, dir));
        Map<String, String> env = RuntimeEnvironment.trimmed();
        env.put("_OCI_SYNCPIPE", "3");
        String out = dir.resolve("conmon.out").toString();
        int[] sync = Spawn.pipe();
        int pid = -1;
        InputStream pipe = null;
        try {
            pid = Spawn.start(conmon.toString(), argv, env, List.of(Spawn.Stdio.DEV_NULL, Spawn.Stdio.append(out),
                    Spawn.Stdio.append(out), new Spawn.Stdio.Fd(sync[1])));
            // opened while our write end is still open: a pipe opened through /proc waits for a writer otherwise
            pipe = new FileInputStream("/proc/self/fd/" + sync[0]);
        } finally {
            Posix.close(sync[0]);
            Posix.close(sync[1]);
            if (pipe == null && pid > 0) {
                // started, but its report could not be read: it must not run on unwatched
                dev.skiff.sys.Syscalls.kill(pid, 9);
                SpawnedProcess.reap(pid);
            }
        }

        // read on a platform thread: runc create takes ~30 ms, and a virtual thread would hold its carrier meanwhile
        InputStream reportPipe = pipe;
        CompletableFuture<JsonNode> report = CompletableFuture.supplyAsync(() -> readReport(reportPipe),
                BlockingThreads::start);
        try {
            JsonNode node = report.get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (node == null || !node.has("data")) {
                return new SyncResult(-1, conmonOutput(dir, "conmon exited without reporting"));
            }
            int pid1 = node.get("data").asInt();
            return new SyncResult(pid1, node.path("message").asText(null));
        } catch (TimeoutException e) {
            dev.skiff.sys.Syscalls.kill(pid, 9); // not reaped yet (below): the PID is still this conmon's
            killConmon(dir);
            throw new UnavailableException("conmon did not report on container " + r.id() + " within "
                    + SYNC_TIMEOUT_SECONDS + "s; see " + dir.resolve("conmon.out"));
        } catch (ExecutionException e) {
            throw new UnavailableException("cannot read conmon's report for container " + r.id() + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while creating container " + r.id(), e);
        } finally {
            // conmon's first process exits as soon as it has forked its monitor, before runc runs: reaped at once
            SpawnedProcess.reap(pid);
        }
    }

    private List<String> conmonArgs(CreateRequest r, Path dir) {
        List<String> a = new ArrayList<>(List.of("--api-version", "1",
                "-c", r.id(), "-u", r.id(), "-n", r.name() == null || r.name().isBlank() ? r.id() : r.name(),
                "-r", runc.binary().toString(), "-b", r.bundle().toAbsolutePath().toString(),
                "-p", dir.resolve("pid").toString(), "--conmon-pidfile", dir.resolve("conmon.pid").toString(),
                "--exit-dir", root.exits().toString(), "--socket-dir-path", root.sockets().toString(),
                // conmon fsyncs the log before it writes the exit file: a container's last lines survive even a
                // host crash (about 1 ms per exit here; Docker's json-file logger never syncs)
                "-l", r.logPath() == null ? "none" : "k8s-file:" + r.logPath().toAbsolutePath()));
        for (String g : runc.globalArgs()) {
            a.add("--runtime-arg");
            a.add(g);
        }
        // runc's own errors go to a JSON log we can parse, instead of being mixed into conmon's output.
        a.addAll(List.of("--runtime-arg", "--log", "--runtime-arg", dir.resolve("runc.log").toString(),
                "--runtime-arg", "--log-format=json"));
        if (r.logMaxSize() > 0) {
            a.addAll(List.of("--log-size-max", Long.toString(r.logMaxSize())));
        }
        if (r.spec().process().terminal()) {
            a.add("-t");
        }
        if (r.openStdin()) {
            a.add("-i");
            if (!r.stdinOnce()) {
                // Docker keeps stdin open across attaches unless StdinOnce: one client leaving must not close it.
                a.add("--leave-stdin-open");
            }
        }
        return a;
    }

    private static JsonNode readReport(InputStream pipe) {
        try (InputStream in = pipe;
             JsonParser parser = Json.MAPPER.createParser(in)) {
            // Reads exactly one JSON object: conmon keeps the pipe open afterwards, so EOF may never come.
            return parser.nextToken() == null ? null : parser.readValueAsTree();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String conmonOutput(Path dir, String fallback) {
        String out = ExecRoot.readTrimmed(dir.resolve("conmon.out"));
        return out == null || out.isEmpty() ? fallback : out;
    }

    /**
     * Kills the launcher shells of {@code root} (an older skiffd's) still waiting for a reader on their sync FIFO: a daemon that died
     * between starting one and opening the FIFO's other end (a few milliseconds of every start) left it blocked in
     * open(2) for good, one process and ~1.6 MiB each. Only for a daemon that is starting up: any launcher of its
     * exec root is then a leftover (another daemon's, with another exec root, is not touched).
     *
     * @return how many were killed
     */
    static int killStuckLaunchers(ExecRoot root) {
        String exits = root.exits().toString();
        int killed = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : (Iterable<Path>) procs::iterator) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                List<String> argv = argv(proc);
                if (argv.size() > 3 && argv.get(0).equals(SHELL) && argv.get(1).equals("-c")
                        && argv.get(2).equals(WRAPPER) && exitDirOf(argv).equals(exits)) {
                    try {
                        if (dev.skiff.sys.Syscalls.kill(Integer.parseInt(name), 9)) {
                            killed++;
                        }
                    } catch (IOException e) {
                        // gone meanwhile
                    }
                }
            }
        } catch (IOException e) {
            // no /proc to look at: nothing we could find either
        }
        return killed;
    }

    private static List<String> argv(Path proc) {
        try {
            byte[] raw = Files.readAllBytes(proc.resolve("cmdline"));
            List<String> args = new ArrayList<>();
            int from = 0;
            for (int i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    args.add(new String(raw, from, i - from, java.nio.charset.StandardCharsets.UTF_8));
                    from = i + 1;
                }
            }
            return args;
        } catch (IOException e) {
            return List.of(); // exited, or not ours to read
        }
    }

    private static String exitDirOf(List<String> argv) {
        int i = argv.indexOf("--exit-dir");
        return i >= 0 && i + 1 < argv.size() ? argv.get(i + 1) : "";
    }

    private static void killConmon(Path dir) {
        String pid = ExecRoot.readTrimmed(dir.resolve("conmon.pid"));
        if (pid != null && !pid.isEmpty()) {
            try {
                dev.skiff.sys.Syscalls.kill(Integer.parseInt(pid), 9);
            } catch (IOException | NumberFormatException e) {
                // already gone
            }
        }
    }
}

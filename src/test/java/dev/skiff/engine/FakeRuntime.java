package dev.skiff.engine;

import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.AttachSession;
import dev.skiff.runtime.CgroupStats;
import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.CreateRequest;
import dev.skiff.runtime.CreatedContainer;
import dev.skiff.runtime.ExecSession;
import dev.skiff.runtime.ExitStatus;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.RuntimeState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A runtime that "runs" containers by recording state; a test ends one with {@link #exit}, as conmon would. */
public final class FakeRuntime implements ContainerRuntime {
    final Path exitDir;
    final Map<String, String> status = new ConcurrentHashMap<>();
    final Map<String, CreateRequest> created = new ConcurrentHashMap<>();
    final List<String> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final Set<String> aliveMonitors = ConcurrentHashMap.newKeySet();
    /** Containers that ignore SIGTERM (stop must escalate to SIGKILL). */
    final Set<String> ignoreTerm = ConcurrentHashMap.newKeySet();
    volatile String failCreateWith;
    private final AtomicInteger pids = new AtomicInteger(1000);

    FakeRuntime(Path exitDir) {
        this.exitDir = exitDir;
    }

    /** PID 1 of {@code id} exits with {@code code}: writes the exit file as conmon does. */
    public void exit(String id, int code) {
        status.put(id, "stopped");
        aliveMonitors.remove(id);
        try {
            Files.createDirectories(exitDir);
            Path tmp = exitDir.resolve("." + id + ".tmp");
            Files.writeString(tmp, Integer.toString(code));
            Files.move(tmp, exitDir.resolve(id), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public CreatedContainer create(CreateRequest request) {
        calls.add("create " + request.id());
        if (failCreateWith != null) {
            throw new UnavailableException(failCreateWith);
        }
        created.put(request.id(), request);
        status.put(request.id(), "created");
        aliveMonitors.add(request.id());
        return new CreatedContainer(pids.incrementAndGet(), pids.incrementAndGet());
    }

    @Override
    public void start(String id) {
        calls.add("start " + id);
        status.put(id, "running");
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        calls.add("kill " + id + " " + signal);
        if (!"running".equals(status.get(id)) && !"paused".equals(status.get(id))) {
            return;
        }
        if (signal == 9 || (signal == 15 && !ignoreTerm.contains(id))) {
            if (!aliveMonitors.contains(id)) {
                status.put(id, "stopped"); // its conmon was killed: it dies, and nobody writes its exit file
            } else if ("paused".equals(status.get(id))) {
                pendingSignal.put(id, signal); // a frozen process acts on it once thawed (cgroup v1's freezer)
            } else {
                exit(id, 128 + signal);
            }
        }
    }

    /** Fatal signals sent to frozen containers, delivered at resume. */
    private final Map<String, Integer> pendingSignal = new ConcurrentHashMap<>();

    @Override
    public void pause(String id) {
        if (!"running".equals(status.get(id))) { // as runc refuses it
            throw new dev.skiff.errors.ConflictException("runc pause failed for container " + id + ": container not running");
        }
        calls.add("pause " + id);
        status.put(id, "paused");
    }

    @Override
    public void resume(String id) {
        if (!"paused".equals(status.get(id))) {
            throw new dev.skiff.errors.ConflictException("runc resume failed for container " + id + ": container not paused");
        }
        calls.add("resume " + id);
        status.put(id, "running");
        Integer pending = pendingSignal.remove(id);
        if (pending != null) {
            exit(id, 128 + pending);
        }
    }

    @Override
    public void update(String id, RuntimeSpec.Resources resources) {
        calls.add("update " + id);
    }

    @Override
    public void delete(String id, boolean force) {
        calls.add("delete " + id);
        status.remove(id);
        try {
            Files.deleteIfExists(exitDir.resolve(id));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<RuntimeState> state(String id) {
        return Optional.ofNullable(status.get(id)).map(s -> new RuntimeState(s, 1));
    }

    @Override
    public Optional<ExitStatus> exitCode(String id) {
        Path f = exitDir.resolve(id);
        try {
            if (!Files.exists(f)) {
                return Optional.empty();
            }
            return Optional.of(new ExitStatus(Integer.parseInt(Files.readString(f).trim()), Instant.now(), false));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Path exitDir() {
        return exitDir;
    }

    @Override
    public boolean monitorAlive(String id) {
        return aliveMonitors.contains(id);
    }

    /** What attach sessions of a container will output before EOF; stdin written to them lands in {@link #stdin}. */
    public final Map<String, List<String>> output = new ConcurrentHashMap<>();
    public final java.io.ByteArrayOutputStream stdin = new java.io.ByteArrayOutputStream();
    public final List<String> attachedWhile = java.util.Collections.synchronizedList(new ArrayList<>());
    public volatile int execExitCode;

    @Override
    public AttachSession attach(String id, boolean stdin, boolean stdout, boolean stderr) {
        attachedWhile.add(status.get(id));
        return session(output.getOrDefault(id, List.of()));
    }

    private ScriptedSession session(List<String> chunks) {
        return new ScriptedSession(chunks);
    }

    /** Emits its chunks (a "2:" prefix means stderr), then EOF once stdin closed or immediately without stdin. */
    final class ScriptedSession implements ExecSession {
        private final java.util.Iterator<String> it;

        ScriptedSession(List<String> chunks) {
            this.it = new ArrayList<>(chunks).iterator();
        }

        @Override
        public boolean readOutput(OutputSink sink) throws IOException {
            if (!it.hasNext()) {
                return false;
            }
            String c = it.next();
            int stream = c.startsWith("2:") ? STDERR : STDOUT;
            byte[] b = (c.startsWith("2:") ? c.substring(2) : c).getBytes();
            sink.accept(stream, b, 0, b.length);
            return true;
        }

        @Override
        public void writeStdin(byte[] data, int off, int len) {
            synchronized (stdin) {
                stdin.write(data, off, len);
            }
        }

        @Override
        public void closeStdin() {
        }

        @Override
        public void close() {
        }

        @Override
        public int pid() {
            return 4321;
        }

        @Override
        public int waitFor() {
            return execExitCode;
        }

        @Override
        public void resize(int height, int width) {
        }
    }

    @Override
    public void resize(String id, int height, int width) {
    }

    public final List<RuntimeSpec.Process> execs = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public ExecSession exec(String id, RuntimeSpec.Process process, boolean attachStdin) {
        execs.add(process);
        return session(output.getOrDefault("exec", List.of()));
    }

    @Override
    public List<Integer> pids(String id) {
        return List.of();
    }

    @Override
    public CgroupStats stats(String id) {
        return new CgroupStats(1_000_000, 10_000_000, 2, 4096, 1 << 30, 0, 1, 0, 0, 0);
    }
}

package dev.skiff.engine;

import dev.skiff.sys.DetachKeys;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.runtime.ExecSession;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.sys.Signals;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** docker exec: exec instances in memory, kept {@value #KEEP_MINUTES} minutes after they exit for inspect. */
public final class ExecService {
    private static final Logger LOG = LoggerFactory.getLogger(ExecService.class);
    static final long KEEP_MINUTES = 5;

    private final ContainerService containers;
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();
    private final NameGenerator ids = new NameGenerator();

    public ExecService(ContainerService containers) {
        this.containers = containers;
    }

    /** POST /containers/{id}/exec. */
    public String create(String idOrName, ObjectNode body) {
        // the request itself first, then the container, as dockerd's router checks them
        List<String> cmd = ConfigMerger.strings(body.get("Cmd"));
        if (cmd.isEmpty()) {
            throw new InvalidArgumentException("No exec command specified");
        }
        Container c = containers.get(idOrName);
        requireRunning(c, idOrName);
        DetachKeys.parse(body.path("DetachKeys").asText("")); // refused here, as by dockerd, not after the hijack
        forgetOld();
        Exec e = new Exec(ids.newId(), c.id(), body.deepCopy(), cmd);
        execs.put(e.id, e);
        containers.events().publishContainer(c, action("exec_create", cmd), Map.of("execID", e.id));
        return e.id;
    }

    /**
     * An exec event's action as dockerd words it: the verb, then the entrypoint, a space and the arguments
     * ("exec_create: ls -l", and "exec_start: true " with its space when there are none).
     */
    static String action(String verb, List<String> cmd) {
        return verb + ": " + cmd.getFirst() + " " + String.join(" ", cmd.subList(1, cmd.size()));
    }

    /** @param asNamed how the request named the container, which dockerd's "paused" message repeats */
    private static void requireRunning(Container c, String asNamed) {
        if (c.state().paused()) {
            throw new ConflictException("Container " + asNamed + " is paused, unpause the container before exec");
        }
        if (!c.state().hasProcess()) {
            throw new ConflictException("Container " + c.id() + " is not running");
        }
    }

    public Exec get(String execId) {
        Exec e = execs.get(execId);
        if (e == null) {
            throw new NotFoundException("No such exec instance: " + execId);
        }
        return e;
    }

    /**
     * The container's execs not yet ended (created, or running), as its inspect's ExecIDs lists them: dockerd takes
     * an exec off the container's list when its process exits (exec inspect still finds it for a while); null when
     * there is none.
     */
    public List<String> idsOf(String containerId) {
        List<String> out = new ArrayList<>();
        execs.values().forEach(e -> {
            if (e.containerId.equals(containerId) && e.finishedAtMillis == 0) {
                out.add(e.id);
            }
        });
        return out.isEmpty() ? null : out;
    }

    /**
     * Starts the process. Detached: it runs on its own and its output is discarded. Attached: the caller's
     * thread pumps stdio through {@code out} until the process ends.
     */
    public void start(String execId, boolean detach, InputStream stdin, StreamWriter out) throws IOException {
        start(execId, detach, stdin, out, () -> false);
    }

    /**
     * Starts an exec: detached, its output is dropped; else its stdio goes to the client until it exits (or the
     * client detaches or goes away, see {@link #attached}).
     *
     * @param clientGone whether the client has left (polled while the exec runs)
     */
    public void start(String execId, boolean detach, InputStream stdin, StreamWriter out, BooleanSupplier clientGone)
            throws IOException {
        Exec e = get(execId);
        synchronized (e) {
            if (e.started) {
                throw new ConflictException("exec " + execId + " has already been started (create a new one with docker exec)");
            }
            e.started = true;
        }
        Container c;
        try {
            c = containers.get(e.containerId);
            requireRunning(c, c.id());
        } catch (dev.skiff.errors.SkiffException ex) {
            // stopped or removed since the exec was made: dockerd's ExecStart records 126 for any exec it could not
            // start, and the docker CLI exits with it (it exited 0 after printing the error)
            e.exitCode = 126;
            e.finishedAtMillis = System.currentTimeMillis();
            throw ex;
        }
        boolean attachStdin = e.config.path("AttachStdin").asBoolean(false) && !detach;
        ExecSession session;
        try {
            session = containers.runtime().exec(c.id(), process(c, e), attachStdin);
        } catch (dev.skiff.errors.SkiffException | IOException ex) {
            // Docker records 126/127 for an exec that could not run, and the CLI exits with that code. A request
            // that could not be made into a process (an unknown user or group) is dockerd's own finding, said
            // without the runtime's prefix, as dockerd says it. An IOException: the container's runtime directory
            // went with a `docker rm -f` meanwhile (the exec's process file could not be written).
            String message = ex instanceof InvalidArgumentException ? ex.getMessage()
                    : "OCI runtime exec failed: " + (ex instanceof IOException
                            ? "cannot start the process in container " + c.shortName() + " (" + ex + "): it is being"
                            + " removed or stopped" : ex.getMessage());
            int code = dev.skiff.runtime.StartFailure.of(message).execExitCode();
            finish(c, e, code);
            throw StartErrors.toApiError(message, code);
        }
        e.session = session;
        e.pid = session.pid();
        java.util.List<String> size = ConfigMerger.strings(e.config.get("ConsoleSize"));
        if (e.tty() && size.size() == 2 && !size.get(0).equals("0")) {
            try {
                session.resize(Integer.parseInt(size.get(0)), Integer.parseInt(size.get(1)));
            } catch (IOException | NumberFormatException ex) {
                // the client resizes again once attached
            }
        }
        e.running = true;
        containers.events().publishContainer(c, action("exec_start", e.cmd), Map.of("execID", e.id));
        if (detach) {
            // a detached exec's output goes nowhere, as in Docker
            Thread.ofVirtual().name("exec-" + e.id.substring(0, 12)).start(() -> drainAndFinish(c, e, session));
            return;
        }
        attached(c, e, session, attachStdin ? stdin : null, out, clientGone);
    }

    /**
     * Pumps an exec's stdio to its client on a thread of its own while the caller watches the client. With stdin,
     * typing the detach keys (the exec's DetachKeys, ctrl-p,ctrl-q by default, as dockerd's) hands the connection
     * back at once while the process keeps running; its output is then read and dropped until it exits, and the
     * exit is recorded as for any exec. A client that goes away (its socket hung up on, or a write to it fails)
     * takes a non-TTY process with it, SIGKILL: an abandoned `docker exec ctr tail -f` must not run on for ever.
     * A TTY session's process stays (the docker CLI detaches from one by closing the connection once it saw the
     * detach keys itself) and its output is drained.
     */
    private void attached(Container c, Exec e, ExecSession session, InputStream stdin, StreamWriter out,
                          BooleanSupplier clientGone) throws IOException {
        DetachKeys keys = stdin == null ? null : DetachKeys.parse(e.config.path("DetachKeys").asText(""));
        CompletableFuture<Void> handBack = new CompletableFuture<>();
        Thread pump = Thread.ofVirtual().name("exec-" + e.id.substring(0, 12)).start(() -> {
            try {
                // the client's stdin EOF closes the process's stdin only without a TTY, as in dockerd
                StdioPump.run(session, stdin, !e.tty(), out, keys, () -> {
                    containers.events().publishContainer(c, "exec_detach", Map.of("execID", e.id));
                    handBack.complete(null);
                });
                finish(c, e, session);
                handBack.complete(null);
            } catch (IOException ex) {
                handBack.completeExceptionally(ex);
                if (!e.tty()) {
                    kill(e, session);
                }
                drainAndFinish(c, e, session); // a TTY session's process lives on, as after a detach
            } catch (InterruptedException ex) {
                finish(c, e, -1);
                handBack.complete(null);
            }
        });
        boolean killed = false;
        while (true) {
            try {
                handBack.get(500, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException waiting) {
                if (!killed && clientGone.getAsBoolean()) {
                    if (e.tty()) {
                        // the docker CLI leaves a TTY session by closing the connection once it saw the detach
                        // keys itself (they never reach us): the process stays, as after a detach here
                        return;
                    }
                    kill(e, session); // the pump then sees the output end and finishes the exec
                    killed = true; // once: the PID could be another process's by the next look
                }
            } catch (ExecutionException ex) {
                throw ex.getCause() instanceof IOException io ? io : new IOException(ex.getCause());
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                kill(e, session);
                pump.interrupt();
                return;
            }
        }
    }

    /** Reads and drops what is left of the process's output until it exits, then records the exit. */
    private void drainAndFinish(Container c, Exec e, ExecSession session) {
        try {
            while (session.readOutput((s, d, o, l) -> { })) {
                // nobody reads it any more; the process must not block on a full pipe
            }
            finish(c, e, session);
        } catch (IOException | InterruptedException ex) {
            finish(c, e, -1);
        }
    }

    private static void kill(Exec e, ExecSession session) {
        try {
            if (session.pid() > 0) {
                dev.skiff.sys.Syscalls.kill(session.pid(), Signals.SIGKILL);
            }
        } catch (IOException ex) {
            LOG.debug("killing exec {} after its client left: {}", e.id, ex.toString());
        }
    }

    private void finish(Container c, Exec e, ExecSession session) throws IOException, InterruptedException {
        finish(c, e, session.waitFor());
        session.close();
    }

    private void finish(Container c, Exec e, int code) {
        e.exitCode = code;
        e.running = false;
        e.finishedAtMillis = System.currentTimeMillis();
        containers.events().publishContainer(c, "exec_die", Map.of("execID", e.id, "exitCode", Integer.toString(code)));
    }

    public void resize(String execId, int height, int width) throws IOException {
        Exec e = get(execId);
        ExecSession s = e.session;
        if (s == null || !e.running) {
            throw new ConflictException("exec " + execId + " is not running");
        }
        s.resize(height, width);
    }

    /** The process in the container's terms: its env, working dir and user unless the exec overrides them. */
    static RuntimeSpec.Process process(Container c, Exec e) {
        ObjectNode x = e.config;
        // the daemon's PATH, HOSTNAME and TERM (for the exec's own TTY), the container's Env, then the exec's
        List<String> env = new ArrayList<>(SpecBuilder.environment(c.config(), x.path("Tty").asBoolean(false),
                List.of()));
        List<String> extra = ConfigMerger.strings(x.get("Env"));
        env = ConfigMerger.strings(ConfigMerger.mergeEnv(env, extra));
        String cwd = ConfigMerger.text(x, "WorkingDir");
        if (cwd.isEmpty()) {
            cwd = ConfigMerger.text(c.config(), "WorkingDir");
        }
        String user = ConfigMerger.text(x, "User");
        if (user.isEmpty()) {
            user = ConfigMerger.text(c.config(), "User");
        }
        boolean privileged = x.path("Privileged").asBoolean(false) || c.hostConfig().path("Privileged").asBoolean(false);
        List<String> capAdd = privileged ? List.of("ALL") : ConfigMerger.strings(c.hostConfig().get("CapAdd"));
        return new RuntimeSpec.Process(e.cmd, env, cwd.isEmpty() ? "/" : cwd, user,
                ConfigMerger.strings(c.hostConfig().get("GroupAdd")), x.path("Tty").asBoolean(false), capAdd,
                privileged ? List.of() : ConfigMerger.strings(c.hostConfig().get("CapDrop")), SpecBuilder.rlimits(c.hostConfig()));
    }

    /** Drops exec records that ended more than {@value #KEEP_MINUTES} minutes ago or whose container is gone. */
    void forgetOld() {
        long cutoff = System.currentTimeMillis() - KEEP_MINUTES * 60_000;
        java.util.Set<String> live = new java.util.HashSet<>();
        containers.all().forEach(c -> live.add(c.id()));
        execs.values().removeIf(e -> (!e.running && e.finishedAtMillis > 0 && e.finishedAtMillis < cutoff)
                || !live.contains(e.containerId));
    }
}

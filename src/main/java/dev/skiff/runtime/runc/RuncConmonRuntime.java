package dev.skiff.runtime.runc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
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
import dev.skiff.runtime.oci.HostInfo;
import dev.skiff.runtime.oci.OciConfig;
import dev.skiff.runtime.oci.OciSpecGenerator;
import dev.skiff.runtime.unix.Posix;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.Json;
import dev.skiff.sys.Trash;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ContainerRuntime} on runc, with one conmon per container as its monitor. Every operation but create
 * and exec is one runc command or a file read, so the daemon keeps no per-container state in memory: after a
 * restart it finds everything again under the exec root ({@link ExecRoot}) and in runc's state root.
 */
public final class RuncConmonRuntime implements ContainerRuntime {
    private static final int SIGKILL = 9;
    private static final Logger LOG = LoggerFactory.getLogger(RuncConmonRuntime.class);
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** conmon's control FIFO message type for a terminal resize ("1 HEIGHT WIDTH\n"). */
    private static final int CTL_RESIZE = 1;

    private final ExecRoot root;
    /** Where a removed container's runtime state goes to be deleted off the removal's path. */
    private final Trash trash;
    private final RuncCommand runc;
    private final ConmonLauncher launcher;
    private final OciSpecGenerator generator;
    private final ExecLauncher execs;

    /**
     * @param runtime      the runc binary
     * @param conmon       the conmon binary
     * @param execRoot     volatile state (sockets, exit files, runc state): a tmpfs such as /run/skiff
     * @param cgroupParent the cgroup every container goes under unless its spec names one, e.g. "/skiff"
     */
    public RuncConmonRuntime(Path runtime, Path conmon, Path execRoot, String cgroupParent) {
        this(runtime, conmon, execRoot, new OciSpecGenerator(HostInfo.detect(), cgroupParent));
    }

    /** Execs without a terminal start through skiff-exec from now on (see {@link ExecLauncher}). */
    public void useExecHelper(ExecHelper helper) {
        execs.useHelper(helper);
    }

    /** The daemon's --seccomp-profile for containers that name none (see {@link OciSpecGenerator#useDefaultSeccomp}). */
    public void useDefaultSeccomp(String profile) {
        generator.useDefaultSeccomp(profile);
    }

    public RuncConmonRuntime(Path runtime, Path conmon, Path execRoot, OciSpecGenerator generator) {
        this.root = new ExecRoot(execRoot.toAbsolutePath());
        this.runc = new RuncCommand(runtime, root.runcRoot());
        this.launcher = new ConmonLauncher(conmon, runc, root);
        this.generator = generator;
        this.execs = new ExecLauncher(runc, root, generator);
        try {
            root.create();
        } catch (IOException e) {
            throw new UnavailableException("cannot create the runtime state directory " + execRoot + ": "
                    + e.getMessage() + " (check permissions, or choose another --exec-root)", e);
        }
        this.trash = new Trash(root.trash());
    }

    @Override
    public void cleanUpAfterCrash() {
        int killed = ConmonLauncher.killStuckLaunchers(root);
        if (killed > 0) {
            LOG.info("ended {} conmon launcher(s) a crashed daemon left waiting for it", killed);
        }
    }

    @Override
    public CreatedContainer create(CreateRequest r) {
        checkId(r.id());
        long t0 = System.nanoTime();
        Path dir = root.container(r.id());
        if (Files.exists(root.runcRoot().resolve(r.id()))) {
            throw new ConflictException("container " + r.id() + " already exists in the runtime (delete it first)");
        }
        OciConfig config = generator.generate(r.id(), r.spec());
        try {
            root.remove(r.id(), trash); // leftovers of an earlier container with this id (its exit file above all)
            Files.createDirectories(dir);
            AtomicFiles.replace(r.bundle().resolve("config.json"), Json.COMPACT.writeValueAsBytes(config));
            Files.writeString(dir.resolve("bundle"), r.bundle().toAbsolutePath().toString());
            Files.writeString(dir.resolve("cgroup"), config.linux().cgroupsPath());
            execs.remember(r.id(), config);
            long t1 = System.nanoTime();
            ConmonLauncher.SyncResult sync = launcher.launch(r);
            if (sync.pid() <= 0) {
                String runcError = RuncCommand.lastLoggedError(dir.resolve("runc.log"));
                discard(r.id());
                // runc's own error in dockerd's words, which people search for ("OCI runtime create failed")
                throw new UnavailableException(runcError != null ? "OCI runtime create failed: " + runcError
                        : "cannot create container " + r.id() + ": " + sync.message());
            }
            int monitor = readPid(dir.resolve("conmon.pid"));
            if (r.spec().networkMode() == null || r.spec().networkMode() == dev.skiff.runtime.RuntimeSpec.NetworkMode.NONE) {
                try {
                    dev.skiff.runtime.unix.Loopback.up(sync.pid());
                } catch (IOException e) {
                    discard(r.id());
                    throw new UnavailableException("cannot create container " + r.id()
                            + ": bringing up its loopback interface failed: " + e.getMessage(), e);
                }
            }
            LOG.debug("created {} in {} ms (config {} ms, conmon+runc create {} ms)", r.id(),
                    (System.nanoTime() - t0) / 1_000_000, (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
            return new CreatedContainer(sync.pid(), monitor);
        } catch (IOException e) {
            discard(r.id());
            throw new UnavailableException("cannot create container " + r.id() + ": " + e.getMessage(), e);
        }
    }

    /** Removes whatever a failed create left behind; never throws. */
    private void discard(String id) {
        try {
            runc.run("delete", id, null, "delete", "-f", id);
        } catch (RuntimeException e) {
            // nothing was created in runc
        }
        execs.forget(id);
        try {
            root.remove(id, trash);
        } catch (IOException e) {
            LOG.warn("cannot clean up runtime state of container {}: {}", id, e.getMessage());
        }
    }

    @Override
    public void start(String id) {
        if (!ExecFifo.release(root.runcRoot().resolve(checkId(id)))) {
            // Not in the created state, or something odd: let runc say what (and raise the right error).
            runc.run("start", id, null, "start", id);
        }
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        checkId(id);
        if (signal == SIGKILL && killInitDirectly(id)) {
            return;
        }
        try {
            if (all) {
                runc.run("kill", id, null, "kill", "--all", id, Integer.toString(signal));
            } else {
                runc.run("kill", id, null, "kill", id, Integer.toString(signal));
            }
        } catch (dev.skiff.errors.SkiffException e) {
            // PID 1 ended between runc reading the state and signalling it ("unable to signal init: os: process
            // already finished"): the exit is on its way from conmon, and there is nothing left to signal, which
            // dockerd answers as a kill that worked
            if (!String.valueOf(e.getMessage()).contains("process already finished")) {
                throw e;
            }
        }
    }

    /**
     * SIGKILL to PID 1 ends the whole container: it has its own PID namespace, and the kernel kills every
     * process in a namespace whose init dies. Sending it ourselves spares a runc process on every
     * `rm -f` and stop timeout. The PID is checked to still be in this container's cgroup first, so a
     * PID reused after the container died is never signalled; anything unclear falls back to runc.
     */
    private boolean killInitDirectly(String id) {
        Path pidFile = root.container(id).resolve("pid");
        try {
            if (!Files.exists(pidFile)) {
                return false;
            }
            int pid = readPid(pidFile);
            if (pid <= 0 || !Files.readString(Path.of("/proc", Integer.toString(pid), "cgroup")).contains(id)) {
                return false;
            }
            return dev.skiff.sys.Syscalls.kill(pid, SIGKILL);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void pause(String id) {
        runc.run("pause", checkId(id), null, "pause", id);
    }

    @Override
    public void resume(String id) {
        runc.run("resume", checkId(id), null, "resume", id);
    }

    @Override
    public void update(String id, RuntimeSpec.Resources resources) {
        checkId(id);
        OciConfig.Resources r = generator.resources(resources, false);
        // The device rules were set at create; update changes limits only.
        OciConfig.Resources limits = new OciConfig.Resources(null, r.memory(), r.cpu(), r.pids(), r.blockIO());
        try {
            runc.run("update", id, Json.COMPACT.writeValueAsBytes(limits), "update", "-r", "-", id);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidArgumentException("cannot encode resources for container " + id + ": " + e.getMessage());
        }
    }

    @Override
    public void delete(String id, boolean force) {
        checkId(id);
        try {
            if (!Files.isDirectory(root.runcRoot().resolve(id))) {
                // runc never created it (a first start cleans up before creating): spare a process spawn
                throw new NotFoundException("container " + id + " is unknown to runc");
            }
            if (StoppedDelete.delete(root.runcRoot().resolve(id), trash)) {
                LOG.debug("deleted stopped container {} without runc", id);
            } else if (force) {
                runc.run("delete", id, null, "delete", "-f", id);
            } else {
                runc.run("delete", id, null, "delete", id);
            }
        } catch (NotFoundException e) {
            // already gone from runc: still clean our side
        }
        awaitMonitorExit(id);
        execs.forget(id);
        try {
            root.remove(id, trash);
        } catch (IOException e) {
            throw new UnavailableException("cannot remove runtime state of container " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * After a forced delete conmon still has to notice PID 1's death and write the exit file; removing our
     * state before that would leave a stale exit file behind. conmon exits right after, so wait for that
     * (briefly: a wedged monitor must not hang the delete).
     */
    private void awaitMonitorExit(String id) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        long sleep = 1;
        while (monitorAlive(id) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep = Math.min(20, sleep * 2);
        }
    }

    @Override
    public Optional<RuntimeState> state(String id) {
        checkId(id);
        try {
            JsonNode s = Json.MAPPER.readTree(runc.run("state", id, null, "state", id));
            return Optional.of(new RuntimeState(s.path("status").asText(), s.path("pid").asInt()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UnavailableException("runc state of container " + id + " is not JSON: " + e.getMessage(), e);
        }
    }

    /** The freezer's own file, not runc state (a process and ~7 ms): every stop and kill asks. */
    @Override
    public boolean frozen(String id) {
        String cg = cgroupPath(id);
        return cg == null ? ContainerRuntime.super.frozen(id) : CgroupFiles.frozen(cg);
    }

    @Override
    public Path exitDir() {
        return root.exits();
    }

    @Override
    public Optional<ExitStatus> exitCode(String id) {
        Path file = root.exitFile(checkId(id));
        String text = ExecRoot.readTrimmed(file);
        if (text == null || text.isEmpty()) {
            return Optional.empty(); // absent, or conmon is between creating and writing it
        }
        try {
            int code = Integer.parseInt(text);
            String cg = ExecRoot.readTrimmed(root.container(id).resolve("cgroup"));
            boolean oom = cg != null && CgroupFiles.oomKilled(cg);
            return Optional.of(new ExitStatus(code, Files.getLastModifiedTime(file).toInstant(), oom));
        } catch (NumberFormatException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Blocks until conmon records PID 1's exit, or the timeout passes. Polls the exit file with a short
     * backoff (1 ms growing to 10 ms): a stat is cheap, and it needs no watcher thread per container.
     */
    @Override
    public Optional<ExitStatus> awaitExit(String id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleep = 1;
        while (true) {
            Optional<ExitStatus> status = exitCode(id);
            if (status.isPresent() || System.nanoTime() > deadline) {
                return status;
            }
            Thread.sleep(sleep);
            sleep = Math.min(10, sleep + 1);
        }
    }

    @Override
    public boolean monitorAlive(String id) {
        String pid = ExecRoot.readTrimmed(root.container(checkId(id)).resolve("conmon.pid"));
        if (pid == null || pid.isEmpty()) {
            return false;
        }
        // A recycled PID is some other program: check the name too. A zombie (state Z, exited but not yet
        // reaped by whoever inherited it) is dead for our purposes.
        String stat = ExecRoot.readTrimmed(Path.of("/proc", pid, "stat"));
        if (stat == null) {
            return false;
        }
        int open = stat.indexOf('('), close = stat.lastIndexOf(')');
        return open >= 0 && close > open && stat.substring(open + 1, close).equals("conmon")
                && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z' && stat.charAt(close + 2) != 'X';
    }

    @Override
    public AttachSession attach(String id, boolean stdin, boolean stdout, boolean stderr) throws IOException {
        checkId(id);
        Path link = root.sockets().resolve(id);
        if (!Files.exists(link.resolve("attach"))) {
            throw new NotFoundException("container " + id + " has no attach socket (is its monitor running?)");
        }
        // The socket lives in the bundle, whose path may exceed sun_path's 108 bytes: connect through an fd.
        int dirFd = Posix.openPath(link.toString());
        try {
            int fd = Posix.connectSeqpacket("/proc/self/fd/" + dirFd + "/attach");
            return new ConmonAttachSession(fd, stdout, stderr);
        } finally {
            Posix.close(dirFd);
        }
    }

    @Override
    public void resize(String id, int height, int width) {
        Path ctl = root.sockets().resolve(checkId(id)).resolve("ctl");
        if (!monitorAlive(id) || !Files.exists(ctl)) {
            throw new ConflictException("cannot resize the terminal of container " + id + ": it is not running");
        }
        // conmon holds the FIFO open for reading, so opening it for writing does not block.
        try (FileOutputStream out = new FileOutputStream(ctl.toFile())) {
            out.write((CTL_RESIZE + " " + height + " " + width + "\n").getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UnavailableException("cannot resize the terminal of container " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExecSession exec(String id, RuntimeSpec.Process process, boolean attachStdin) throws IOException {
        return execs.exec(checkId(id), process, attachStdin);
    }

    @Override
    public List<Integer> pids(String id) {
        String out = runc.run("ps", checkId(id), null, "ps", "--format", "json", id);
        try {
            List<Integer> pids = new ArrayList<>();
            Json.MAPPER.readTree(out).forEach(n -> pids.add(n.asInt()));
            return pids;
        } catch (IOException e) {
            throw new UnavailableException("runc ps of container " + id + " is not JSON: " + e.getMessage(), e);
        }
    }

    @Override
    public CgroupStats stats(String id) {
        String cg = ExecRoot.readTrimmed(root.container(checkId(id)).resolve("cgroup"));
        if (cg == null) {
            throw new NotFoundException("no such container in the runtime: " + id);
        }
        return CgroupFiles.read(cg);
    }

    /** The cgroup path runc put the container in (linux.cgroupsPath), or null when unknown. */
    public String cgroupPath(String id) {
        return ExecRoot.readTrimmed(root.container(checkId(id)).resolve("cgroup"));
    }

    private static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidArgumentException("invalid container id for the runtime: \"" + id + "\"");
        }
        return id;
    }

    private static int readPid(Path file) {
        // conmon writes its pid file before it runs runc create, so it is there once the sync pipe spoke.
        String pid = ExecRoot.readTrimmed(file);
        try {
            return pid == null ? 0 : Integer.parseInt(pid);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

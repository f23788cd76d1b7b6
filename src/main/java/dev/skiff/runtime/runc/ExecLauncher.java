package dev.skiff.runtime.runc;

import dev.skiff.errors.NotFoundException;
import dev.skiff.runtime.ExecSession;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.oci.OciConfig;
import dev.skiff.runtime.oci.OciSpecGenerator;
import dev.skiff.runtime.unix.SpawnedProcess;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Starts extra processes in running containers: the process inherits PID 1's environment, user, working directory
 * and capabilities unless the request overrides them (docker exec). Without a terminal through skiff-exec
 * ({@link ExecHelper}) when the daemon has it and the container was created knowing it (its confinement recorded);
 * otherwise, and with a terminal, through "runc exec --process FILE".
 */
final class ExecLauncher {
    private static final String PROCESS_FILE = "process.json";

    private final RuncCommand runc;
    private final ExecRoot root;
    private final OciSpecGenerator generator;
    private volatile ExecHelper helper;
    /**
     * Each exec'd-into container's process file, read at its first exec: written at create and never changed after
     * (a new create replaces it, and {@link #remember} drops this copy). An exec saves a JSON parse (~0.4 ms).
     */
    private final Map<String, ContainerProcess> processes = new ConcurrentHashMap<>();
    /** runc's state of each container as last read, kept while runc's file is the same (see {@link RuncState}). */
    private final Map<String, RuncState.Cached> states = new ConcurrentHashMap<>();

    ExecLauncher(RuncCommand runc, ExecRoot root, OciSpecGenerator generator) {
        this.runc = runc;
        this.root = root;
        this.generator = generator;
    }

    /**
     * What an exec needs of the container: PID 1's process and the root filesystem. Kept beside the runtime
     * state at create ({@link #remember}) so an exec reads a small file instead of parsing the whole bundle
     * config (seccomp profile included) every time.
     */
    record ContainerProcess(String rootfs, OciConfig.Process process, Confinement confinement) {
    }

    /**
     * What skiff-exec needs beyond the process: the namespace types to join and the seccomp profile's file under
     * the exec root ({@link SeccompProfileText#digest()}; null: none). Absent in the file of a container created
     * before the helper, which runc execs into instead.
     */
    record Confinement(List<String> namespaces, String seccomp) {
    }

    void useHelper(ExecHelper helper) {
        this.helper = helper;
    }

    /** Records the container's process for later execs; called at create, after the bundle config is written. */
    void remember(String id, OciConfig config) throws IOException {
        forget(id);
        AtomicFiles.replace(root.container(id).resolve(PROCESS_FILE),
                Json.COMPACT.writeValueAsBytes(new ContainerProcess(config.root().path(), config.process(),
                        confinement(config))));
    }

    private Confinement confinement(OciConfig config) throws IOException {
        List<String> namespaces = config.linux().namespaces().stream().map(OciConfig.Namespace::type).toList();
        String seccomp = null;
        if (config.linux().seccomp() != null) {
            SeccompProfileText profile = SeccompProfileText.of(config.linux().seccomp());
            seccomp = profile.digest();
            Path file = root.seccompProfile(seccomp);
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent()); // made at start; gone only if someone emptied the exec root
                AtomicFiles.replace(file, profile.text().getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Confinement(namespaces, seccomp);
    }

    /** Drops what was read of a container: it was deleted, or is being created anew. */
    void forget(String id) {
        processes.remove(id);
        states.remove(id);
    }

    private ContainerProcess containerProcess(String id) throws IOException {
        ContainerProcess known = processes.get(id);
        if (known != null) {
            return known;
        }
        ContainerProcess read = readContainerProcess(id);
        processes.put(id, read);
        return read;
    }

    private ContainerProcess readContainerProcess(String id) throws IOException {
        Path saved = root.container(id).resolve(PROCESS_FILE);
        if (Files.exists(saved)) {
            return Json.MAPPER.readValue(saved.toFile(), ContainerProcess.class);
        }
        // a container created before this file existed: its bundle config says the same
        OciConfig config = bundleConfig(id);
        return new ContainerProcess(config.root().path(), config.process(), null);
    }

    ExecSession exec(String id, RuntimeSpec.Process process, boolean attachStdin) throws IOException {
        Path dir = root.container(id);
        ContainerProcess pid1 = containerProcess(id);
        OciConfig.Process container = pid1.process();
        OciConfig.Process p = generator.process(withContainerEnv(process, container),
                Path.of(pid1.rootfs()), execCaps(process, container),
                Boolean.TRUE.equals(container.noNewPrivileges()), null);
        String tag = Long.toHexString(System.nanoTime());
        Path pidFile = dir.resolve("exec-" + tag + ".pid");
        Path log = dir.resolve("exec-" + tag + ".log");
        ExecHelper h = helper;
        if (h != null && !process.terminal() && pid1.confinement() != null) {
            // runc exec gives a process that names no OOM score the container's; so does the helper
            OciConfig.Process withScore = p.oomScoreAdj() != null || container.oomScoreAdj() == null ? p
                    : p.withOomScoreAdj(container.oomScoreAdj());
            return viaHelper(h, id, pid1.confinement(), withScore, dir.resolve("exec-" + tag + ".spec"), log, pidFile,
                    attachStdin);
        }
        Path json = dir.resolve("exec-" + tag + ".json");
        Files.write(json, Json.COMPACT.writeValueAsBytes(p));
        List<String> cmd = new ArrayList<>(List.of(runc.binary().toString()));
        cmd.addAll(runc.globalArgs());
        cmd.addAll(List.of("--log", log.toString(), "--log-format=json", "exec", "--process", json.toString(),
                "--pid-file", pidFile.toString()));
        if (process.terminal()) {
            cmd.addAll(List.of("--tty", id));
            return RuncTtyExecSession.start(cmd, pidFile, log, json);
        }
        cmd.add(id);
        ProcessBuilder pb = RuntimeEnvironment.apply(new ProcessBuilder(cmd));
        if (!attachStdin) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        return new RuncExecSession(pb.start(), pidFile, log, json);
    }

    private ExecSession viaHelper(ExecHelper h, String id, Confinement c, OciConfig.Process p, Path spec, Path log,
                                  Path pidFile, boolean attachStdin) throws IOException {
        RuncState state = RuncState.read(root.runcRoot(), id, states);
        Path seccomp = c.seccomp() == null ? null : root.seccompProfile(c.seccomp());
        if (seccomp != null && !Files.exists(seccomp)) {
            // the exec root was emptied under a running container (by hand): the bundle still says it
            confinement(bundleConfig(id));
        }
        // only root reads it: the environment may hold secrets
        var ownerOnly = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
        Files.write(Files.createFile(spec, ownerOnly), ExecSpec.of(id, state, c.namespaces(), seccomp, p));
        // posix_spawn, not ProcessBuilder: no jspawnhelper exec first (~1 ms of an exec's few)
        List<String> argv = h.run(spec, log, pidFile);
        return new RuncExecSession(SpawnedProcess.start(argv.getFirst(), argv, Map.of(), attachStdin), pidFile, log,
                spec);
    }

    private OciConfig bundleConfig(String id) throws IOException {
        String bundle = ExecRoot.readTrimmed(root.container(id).resolve("bundle"));
        if (bundle == null) {
            throw new NotFoundException("no such container in the runtime: " + id);
        }
        return Json.MAPPER.readValue(Path.of(bundle, "config.json").toFile(), OciConfig.class);
    }

    /**
     * An exec'd process sees the container's environment, overridden by its own (as docker exec does): its own
     * entries in their order, with what only the container's process has (link variables) after its leading PATH,
     * HOSTNAME and TERM, where dockerd's exec puts the links; not the container's HOME (the exec's user's is set) nor
     * its TERM (that follows the exec's own TTY, as dockerd's).
     */
    static RuntimeSpec.Process withContainerEnv(RuntimeSpec.Process p, OciConfig.Process container) {
        List<String> own = p.env() == null ? List.of() : p.env();
        List<String> env = new ArrayList<>(own);
        int at = 0;
        while (at < env.size() && DAEMON_DEFAULTS.contains(envName(env.get(at)))) {
            at++;
        }
        for (String e : container.env()) {
            String name = envName(e);
            if (own.stream().noneMatch(o -> envName(o).equals(name)) && !name.equals("HOME") && !name.equals("TERM")) {
                env.add(at++, e);
            }
        }
        return new RuntimeSpec.Process(p.args(), env, p.cwd() == null || p.cwd().isBlank()
                ? container.cwd() : p.cwd(),
                p.user() == null || p.user().isBlank() ? userOf(container) : p.user(),
                p.additionalGroups(), p.terminal(), p.capAdd(), p.capDrop(), p.rlimits());
    }

    /** The variables the daemon gives every process first, before links and the container's Env. */
    private static final java.util.Set<String> DAEMON_DEFAULTS = java.util.Set.of("PATH", "HOSTNAME", "TERM");

    private static String envName(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }

    private static String userOf(OciConfig.Process c) {
        return c.user().uid() + ":" + c.user().gid();
    }

    /** PID 1's capabilities, or all the host allows for a privileged exec (capAdd ALL). */
    private List<String> execCaps(RuntimeSpec.Process p, OciConfig.Process container) {
        if (p.capAdd() != null && p.capAdd().stream().anyMatch("ALL"::equalsIgnoreCase)) {
            return generator.privilegedCapabilities();
        }
        return container.capabilities().bounding();
    }
}

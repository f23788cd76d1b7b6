package dev.skiff.runtime.runc;

import dev.skiff.errors.NotFoundException;
import dev.skiff.runtime.ExecSession;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.oci.OciConfig;
import dev.skiff.runtime.oci.OciSpecGenerator;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts extra processes in running containers with "runc exec --process FILE": the process inherits PID 1's
 * environment, user, working directory and capabilities unless the request overrides them (docker exec).
 */
final class ExecLauncher {
    private final RuncCommand runc;
    private final ExecRoot root;
    private final OciSpecGenerator generator;

    ExecLauncher(RuncCommand runc, ExecRoot root, OciSpecGenerator generator) {
        this.runc = runc;
        this.root = root;
        this.generator = generator;
    }

    ExecSession exec(String id, RuntimeSpec.Process process, boolean attachStdin) throws IOException {
        Path dir = root.container(id);
        String bundle = ExecRoot.readTrimmed(dir.resolve("bundle"));
        if (bundle == null) {
            throw new NotFoundException("no such container in the runtime: " + id);
        }
        OciConfig container = Json.MAPPER.readValue(Path.of(bundle, "config.json").toFile(), OciConfig.class);
        OciConfig.Process p = generator.process(withContainerEnv(process, container), Path.of(container.root().path()),
                execCaps(process, container), Boolean.TRUE.equals(container.process().noNewPrivileges()),
                null);
        String tag = Long.toHexString(System.nanoTime());
        Path json = dir.resolve("exec-" + tag + ".json");
        Path pidFile = dir.resolve("exec-" + tag + ".pid");
        Path log = dir.resolve("exec-" + tag + ".log");
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
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (!attachStdin) {
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        }
        return new RuncExecSession(pb.start(), pidFile, log, json);
    }

    /** An exec'd process sees the container's environment, overridden by its own (as docker exec does). */
    private static RuntimeSpec.Process withContainerEnv(RuntimeSpec.Process p, OciConfig container) {
        List<String> env = new ArrayList<>();
        List<String> own = p.env() == null ? List.of() : p.env();
        for (String e : container.process().env()) {
            String key = e.contains("=") ? e.substring(0, e.indexOf('=') + 1) : e;
            if (own.stream().noneMatch(o -> o.startsWith(key)) && !e.startsWith("HOME=")) {
                env.add(e);
            }
        }
        env.addAll(own);
        return new RuntimeSpec.Process(p.args(), env, p.cwd() == null || p.cwd().isBlank()
                ? container.process().cwd() : p.cwd(),
                p.user() == null || p.user().isBlank() ? userOf(container) : p.user(),
                p.additionalGroups(), p.terminal(), p.capAdd(), p.capDrop(), p.rlimits());
    }

    private static String userOf(OciConfig c) {
        return c.process().user().uid() + ":" + c.process().user().gid();
    }

    /** PID 1's capabilities, or all the host allows for a privileged exec (capAdd ALL). */
    private List<String> execCaps(RuntimeSpec.Process p, OciConfig container) {
        if (p.capAdd() != null && p.capAdd().stream().anyMatch("ALL"::equalsIgnoreCase)) {
            return generator.privilegedCapabilities();
        }
        return container.process().capabilities().bounding();
    }
}

package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Just enough of a conmon + runc runtime for the engine's integration test (the real one is the runtime
 * package's): config.json from `runc spec` plus the spec's process and mounts, conmon with an exit dir.
 */
final class ConmonTestRuntime implements ContainerRuntime {
    private final Path root;
    private final Path runcRoot;
    private final Path exitDir;
    private final Map<String, Long> monitors = new ConcurrentHashMap<>();

    ConmonTestRuntime(Path root) throws IOException {
        this.root = root;
        this.runcRoot = root.resolve("runc");
        this.exitDir = root.resolve("exits");
        Files.createDirectories(exitDir);
    }

    @Override
    public CreatedContainer create(CreateRequest r) {
        try {
            Path bundle = r.bundle();
            Path template = root.resolve("template");
            Files.createDirectories(template);
            if (!Files.exists(template.resolve("config.json"))) {
                run(List.of("/usr/sbin/runc", "spec", "--bundle", template.toString()));
            }
            ObjectNode spec = (ObjectNode) Json.MAPPER.readTree(template.resolve("config.json").toFile());
            ObjectNode process = (ObjectNode) spec.get("process");
            process.put("terminal", false);
            process.set("args", Json.MAPPER.valueToTree(r.spec().process().args()));
            process.set("env", Json.MAPPER.valueToTree(r.spec().process().env()));
            process.put("cwd", r.spec().process().cwd());
            ((ObjectNode) spec.get("root")).put("path", r.spec().rootfs()).put("readonly", r.spec().readOnlyRootfs());
            spec.put("hostname", r.spec().hostname());
            ArrayNode mounts = (ArrayNode) spec.get("mounts");
            for (RuntimeSpec.Mount m : r.spec().mounts()) {
                mounts.addObject().put("destination", m.destination()).put("type", m.type()).put("source", m.source())
                        .set("options", Json.MAPPER.valueToTree(m.options()));
            }
            Json.MAPPER.writeValue(bundle.resolve("config.json").toFile(), spec);
            Path pidFile = bundle.resolve("ctr.pid");
            Path conmonPid = bundle.resolve("conmon.pid");
            Files.deleteIfExists(pidFile);
            Files.createDirectories(root.resolve("sock"));
            List<String> cmd = new ArrayList<>(List.of("/usr/bin/conmon", "--api-version", "1", "-c", r.id(), "-u", r.id(),
                    "-n", r.name(), "-r", "/usr/sbin/runc", "-b", bundle.toString(), "-p", pidFile.toString(),
                    "-P", conmonPid.toString(), "-l", "k8s-file:" + r.logPath(), "--exit-dir", exitDir.toString(),
                    "--socket-dir-path", root.resolve("sock").toString(), "--runtime-arg", "--root=" + runcRoot));
            if (r.logMaxSize() > 0) {
                cmd.addAll(List.of("--log-size-max", Long.toString(r.logMaxSize())));
            }
            run(cmd);
            for (int i = 0; i < 200 && !Files.exists(pidFile); i++) {
                Thread.sleep(25);
            }
            if (!Files.exists(pidFile)) {
                throw new UnavailableException("runc create did not finish for " + r.id());
            }
            long monitor = Long.parseLong(Files.readString(conmonPid).trim());
            monitors.put(r.id(), monitor);
            return new CreatedContainer(Integer.parseInt(Files.readString(pidFile).trim()), (int) monitor);
        } catch (IOException | InterruptedException e) {
            throw new UnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public void start(String id) {
        runc("start", id);
    }

    @Override
    public void kill(String id, int signal, boolean all) {
        if (all) {
            runc("kill", "--all", id, Integer.toString(signal));
        } else {
            runc("kill", id, Integer.toString(signal));
        }
    }

    @Override
    public void pause(String id) {
        runc("pause", id);
    }

    @Override
    public void resume(String id) {
        runc("resume", id);
    }

    @Override
    public void update(String id, RuntimeSpec.Resources resources) {
    }

    @Override
    public void delete(String id, boolean force) {
        try {
            runc("delete", "-f", id);
        } catch (UnavailableException e) {
            // already gone
        }
        try {
            Files.deleteIfExists(exitDir.resolve(id));
        } catch (IOException e) {
            throw new UnavailableException(e.getMessage(), e);
        }
    }

    @Override
    public Optional<RuntimeState> state(String id) {
        try {
            JsonNode s = Json.MAPPER.readTree(runc("state", id));
            return Optional.of(new RuntimeState(s.path("status").asText(), s.path("pid").asInt()));
        } catch (IOException | UnavailableException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<ExitStatus> exitCode(String id) {
        Path f = exitDir.resolve(id);
        try {
            String text = Files.readString(f).trim();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new ExitStatus(Integer.parseInt(text), Files.getLastModifiedTime(f).toInstant(), false));
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
        Long pid = monitors.get(id);
        return pid != null && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Override
    public AttachSession attach(String id, boolean stdin, boolean stdout, boolean stderr) {
        throw new UnsupportedOperationException("attach is the runtime package's");
    }

    @Override
    public void resize(String id, int height, int width) {
    }

    @Override
    public ExecSession exec(String id, RuntimeSpec.Process process, boolean attachStdin) {
        throw new UnsupportedOperationException("exec is the runtime package's");
    }

    @Override
    public List<Integer> pids(String id) {
        return List.of();
    }

    @Override
    public CgroupStats stats(String id) {
        throw new UnsupportedOperationException();
    }

    /** Stops whatever is left (test cleanup). */
    void killAll() {
        try {
            String list = runc("list", "-q");
            for (String id : list.split("\\s+")) {
                if (!id.isBlank()) {
                    delete(id, true);
                }
            }
        } catch (UnavailableException e) {
            // nothing was ever created
        }
        monitors.values().forEach(pid -> ProcessHandle.of(pid).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        }));
    }

    private String runc(String... args) {
        List<String> cmd = new ArrayList<>(List.of("/usr/sbin/runc", "--root=" + runcRoot));
        cmd.addAll(List.of(args));
        try {
            return run(cmd);
        } catch (IOException | InterruptedException e) {
            throw new UnavailableException(e.getMessage(), e);
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new UnavailableException(String.join(" ", cmd.subList(0, Math.min(3, cmd.size()))) + ": " + out.trim());
        }
        return out;
    }
}

package dev.skiff.build.exec;

import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.oci.OciConfig;
import dev.skiff.runtime.oci.OciSpecGenerator;
import dev.skiff.runtime.runc.RuntimeEnvironment;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a RUN step as a short-lived container with {@code runc run} in the foreground: no conmon, because a
 * build step needs no monitor that outlives the daemon, only its output while it runs and its exit code; that
 * saves a process and a round trip per step. The bundle and runc's state live under the builder's own
 * directories so that a restart can find and delete whatever a crash left ({@link #cleanLeftovers}).
 */
public final class StepRunner {
    private static final Logger LOG = LoggerFactory.getLogger(StepRunner.class);
    private static final int SIGKILL = 9;

    private final Path runc;
    private final Path stateRoot;
    private final Path bundles;
    private final OciSpecGenerator generator;
    /**
     * RUN steps running at once, across every build: stages build in parallel, and a Dockerfile of a thousand
     * independent stages would otherwise start a thousand runc processes at once (each ~10 MB before its command).
     */
    static final int MAX_RUNNING = Math.max(16, 8 * Runtime.getRuntime().availableProcessors());
    private final java.util.concurrent.Semaphore running = new java.util.concurrent.Semaphore(MAX_RUNNING, true);

    /**
     * @param runc      the runc binary
     * @param execRoot  the builder's volatile directory (under the daemon's exec root)
     */
    public StepRunner(Path runc, Path execRoot, OciSpecGenerator generator) {
        this.runc = runc;
        this.stateRoot = execRoot.resolve("runc");
        this.bundles = execRoot.resolve("bundles");
        this.generator = generator;
    }

    /**
     * Runs the step to its end, handing its stdout and stderr to {@code stdout} and {@code stderr} as they come
     * (stderr from a thread of its own). They are two pipes, as dockerd's are: "runc run" in the foreground copies
     * the container's stdout and stderr through pipes of its own, one goroutine each, so one pipe for both would
     * not have kept their order either.
     *
     * @return the exit code (128 + signal when killed)
     * @throws Cancellation.BuildCancelledException when the build was cancelled meanwhile (the step is killed)
     */
    public int run(StepProcess step, Consumer<byte[]> stdout, Consumer<byte[]> stderr, Cancellation cancel) {
        cancel.check();
        try {
            while (!running.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                cancel.check(); // a cancelled build stops waiting for its turn
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.BuildCancelledException();
        }
        try {
            return runHeld(step, stdout, stderr, cancel);
        } finally {
            running.release();
        }
    }

    private int runHeld(StepProcess step, Consumer<byte[]> stdout, Consumer<byte[]> stderr, Cancellation cancel) {
        Path bundle = bundles.resolve(step.id());
        Process p = null;
        try {
            Files.createDirectories(bundle);
            Files.createDirectories(stateRoot);
            OciConfig config = generator.generate(step.id(), spec(step));
            Files.write(bundle.resolve("config.json"), Json.COMPACT.writeValueAsBytes(config));
            ProcessBuilder pb = RuntimeEnvironment.apply(new ProcessBuilder(runc.toString(), "--root",
                    stateRoot.toString(), "run", "--bundle", bundle.toString(), step.id()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            p = pb.start();
            Process proc = p;
            Thread errors = Thread.ofVirtual().name("build-step-stderr").start(() -> {
                try {
                    pump(proc.getErrorStream(), stderr);
                } catch (IOException e) {
                    // runc ended; its stdout's pump reports the step's fate
                }
            });
            try (AutoCloseable ignored = cancel.onCancel(() -> stop(step.id(), proc))) {
                pump(p.getInputStream(), stdout);
                errors.join();
                int code = p.waitFor();
                cancel.check();
                return code;
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot run the build step in " + runc + ": " + e.getMessage()
                    + " (is runc installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill(step.id());
            throw new Cancellation.BuildCancelledException();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UnavailableException("the build step " + step.id() + " failed: " + e.getMessage(), e);
        } finally {
            if (p != null && p.isAlive()) {
                kill(step.id());
                try {
                    p.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                p.destroyForcibly();
            }
            // a foreground "runc run" destroys its container when the process exits: delete only what is left
            if (Files.exists(stateRoot.resolve(step.id()))) {
                delete(step.id());
            }
            Trees.delete(bundle);
        }
    }

    private RuntimeSpec spec(StepProcess step) {
        List<RuntimeSpec.Mount> mounts = new ArrayList<>(step.mounts());
        if (step.shmSize() > 0) {
            mounts.add(new RuntimeSpec.Mount("/dev/shm", "tmpfs", "shm",
                    List.of("nosuid", "noexec", "nodev", "mode=1777", "size=" + step.shmSize())));
        }
        // as the classic builder's step containers: dockerd's network sysctls unless the step uses the host's network
        java.util.Map<String, String> sysctls = step.network() == RuntimeSpec.NetworkMode.HOST ? null
                : dev.skiff.runtime.oci.NetworkSysctls.forOwnNamespace(null);
        return new RuntimeSpec(step.process(), step.rootfs(), false, step.id().substring(0, 12), null, false, mounts,
                step.resources(), step.network(), step.netns(), step.sandbox().seccompProfile(),
                step.sandbox().noNewPrivileges(), sysctls, step.sandbox().cgroupParent(), false, null);
    }

    private static void pump(InputStream in, Consumer<byte[]> output) throws IOException {
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            output.accept(java.util.Arrays.copyOf(buf, n));
        }
    }

    /**
     * Stops a cancelled step: "runc delete --force" kills every process of the container and removes it, which
     * ends "runc run". Repeated until runc run is gone, because a cancel can come while runc is still creating
     * the container (then there is nothing to delete yet).
     */
    private void stop(String id, Process runcRun) {
        Thread.ofVirtual().name("build-step-stop").start(() -> {
            for (int i = 0; i < 100 && runcRun.isAlive(); i++) {
                delete(id);
                try {
                    if (runcRun.waitFor(200, TimeUnit.MILLISECONDS)) {
                        return;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Kills every process of the step (its output reader failed). */
    private void kill(String id) {
        runQuietly("kill", "--all", id, Integer.toString(SIGKILL));
    }

    private void delete(String id) {
        runQuietly("delete", "--force", id);
    }

    /** Deletes every step container and bundle a crashed daemon left behind; run at start-up. */
    public void cleanLeftovers() {
        if (Files.isDirectory(stateRoot)) {
            try (var dirs = Files.list(stateRoot)) {
                for (Path d : dirs.toList()) {
                    LOG.info("removing the build step container {} left by an earlier run", d.getFileName());
                    delete(d.getFileName().toString());
                }
            } catch (IOException e) {
                LOG.warn("cannot list leftover build steps in {}: {}", stateRoot, e.toString());
            }
        }
        Trees.delete(bundles);
    }

    private void runQuietly(String... args) {
        List<String> cmd = new ArrayList<>(List.of(runc.toString(), "--root", stateRoot.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = RuntimeEnvironment.apply(new ProcessBuilder(cmd)).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            } else if (p.exitValue() != 0 && !out.contains("does not exist") && !out.contains("not exist")) {
                LOG.debug("runc {} failed: {}", String.join(" ", args), out.strip());
            }
        } catch (IOException e) {
            LOG.debug("runc {} failed: {}", String.join(" ", args), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.runtime.Snapshotter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine over real conmon and runc (a minimal test runtime, a copying snapshotter): exit detection through
 * conmon's exit file, logs, stop escalating to SIGKILL, the restart policy.
 */
class ContainerEngineIT {
    @TempDir
    Path tmp;
    private ConmonTestRuntime runtime;
    private ContainerStore store;
    private ContainerService service;

    @BeforeEach
    void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/conmon")) && Files.isExecutable(Path.of("/usr/sbin/runc")),
                "needs conmon and runc");
        Path busybox = tmp.resolve("busybox");
        Files.createDirectories(busybox);
        Path tar = tmp.resolve("busybox.tar");
        Path repo = Path.of(System.getProperty("skiff.repo", "."));
        new ProcessBuilder(repo.resolve("bin/busybox-rootfs").toString()).redirectOutput(tar.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        new ProcessBuilder("tar", "-xf", tar.toString(), "-C", busybox.toString()).start().waitFor(60, TimeUnit.SECONDS);

        FakeImages images = new FakeImages() {
            @Override
            public List<Path> layerDirs(dev.skiff.image.Image image) {
                return List.of(busybox);
            }
        };
        images.add("busybox", FakeImages.config(List.of("PATH=/bin:/usr/bin"), null, List.of("sh"), "/", Map.of()));
        runtime = new ConmonTestRuntime(tmp.resolve("rt"));
        store = new ContainerStore(tmp.resolve("data/skiff.db"));
        Path resolv = tmp.resolve("resolv.conf");
        Files.writeString(resolv, "nameserver 10.0.0.2\n");
        service = new ContainerService(new EngineOptions(tmp.resolve("data"), 0, 1, resolv), store, images, runtime,
                new CopySnapshotter(tmp.resolve("snapshots")), new EventBus());
        service.startMonitor();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (service != null) {
            for (Container c : service.all()) {
                try {
                    service.remove(c.id(), true);
                } catch (RuntimeException e) {
                    // cleanup continues below
                }
            }
            service.close();
            store.close();
        }
        if (runtime != null) {
            runtime.killAll();
        }
    }

    @Test
    void runExitsAndLogs() throws Exception {
        String id = service.create("echo", EngineFixture.body(
                "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"echo hello; echo oops >&2; cat /etc/hostname; exit 7\"]}")).id();
        CompletableFuture<WaitResult> exit = service.waitFor(id, Waiters.Condition.NEXT_EXIT);
        service.start(id);
        assertThat(exit.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(7);
        Container c = service.get(id);
        assertThat(c.state().status()).isEqualTo("exited");
        assertThat(c.state().exitCode()).isEqualTo(7);
        assertThat(runtime.state(id)).isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogReader(Path.of(c.logPath()), LogReader.Options.all()).copyTo(new StreamWriter(out, false), () -> false, () -> false);
        assertThat(out.toString()).contains("hello\n", "oops\n", id.substring(0, 12) + "\n");
    }

    @Test
    void stopEscalatesToSigkillForPid1ThatIgnoresTerm() throws Exception {
        String id = service.create("sleeper", EngineFixture.body("{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"1000\"]}")).id();
        service.start(id);
        assertThat(service.get(id).state().running()).isTrue();
        long t0 = System.nanoTime();
        service.stop(id, 1, null);
        double secs = (System.nanoTime() - t0) / 1e9;
        assertThat(service.get(id).state().exitCode()).isEqualTo(137);
        assertThat(secs).isLessThan(15);
        service.start(id); // a stopped container starts again (runtime state was cleaned)
        assertThat(service.get(id).state().running()).isTrue();
        service.remove(id, true);
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void restartPolicyRestartsAFailingContainer() throws Exception {
        String id = service.create("flaky", EngineFixture.body("{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"exit 1\"],"
                + "\"HostConfig\":{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":2}}}")).id();
        service.start(id);
        for (int i = 0; i < 300 && !(service.get(id).restartCount() == 2 && service.get(id).state().status().equals("exited")); i++) {
            Thread.sleep(50);
        }
        assertThat(service.get(id).restartCount()).isEqualTo(2);
        assertThat(service.get(id).state().status()).isEqualTo("exited");
        assertThat(service.get(id).state().exitCode()).isEqualTo(1);
    }

    @Test
    void daemonRestartReadoptsAndSeesLaterExit() throws Exception {
        String id = service.create("survivor", EngineFixture.body("{\"Image\":\"busybox\",\"Cmd\":[\"sleep\",\"1000\"]}")).id();
        service.start(id);
        EngineOptions options = service.options();
        service.close(); // the daemon goes away; conmon keeps the container
        store.close();
        store = new ContainerStore(tmp.resolve("data/skiff.db"));
        service = new ContainerService(options, store, service.images(), runtime, service.snapshotter(), new EventBus());
        service.reconcile();
        service.startMonitor();
        assertThat(service.get(id).state().status()).isEqualTo("running");
        CompletableFuture<WaitResult> exit = service.waitFor(id, Waiters.Condition.NOT_RUNNING);
        runtime.kill(id, 9, false);
        assertThat(exit.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(137);
    }

    /** Copies the image's layer directory: no overlay needed for these tests. */
    static final class CopySnapshotter implements Snapshotter {
        private final Path root;

        CopySnapshotter(Path root) {
            this.root = root;
        }

        @Override
        public void prepare(String key, List<Path> lowerDirs) {
            try {
                Files.createDirectories(upperDir(key));
                for (Path lower : lowerDirs) {
                    new ProcessBuilder("cp", "-a", lower + "/.", upperDir(key).toString()).start().waitFor();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void prepareContainer(String key, List<Path> lowerDirs) {
            prepare(key, lowerDirs);
        }

        @Override
        public List<Path> lowerDirs(String key) {
            return List.of(); // the copy holds them all
        }

        @Override
        public Path mount(String key) {
            return upperDir(key);
        }

        @Override
        public void unmount(String key) {
        }

        @Override
        public void remove(String key) {
            Remover.deleteTree(root.resolve(key));
        }

        @Override
        public Path upperDir(String key) {
            return root.resolve(key).resolve("rootfs");
        }

        @Override
        public boolean isMounted(String key) {
            return false;
        }
    }
}

package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.runtime.ContainerRuntime;
import dev.skiff.runtime.ContainerRuntimeContract;
import dev.skiff.runtime.CreateRequest;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.TestRootfs;
import dev.skiff.runtime.overlay.OverlaySnapshotter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The runtime contract against real runc and conmon, plus timings of the hot path. */
class RuncConmonRuntimeIT extends ContainerRuntimeContract {
    private static final String CGROUP_PARENT = "/skiff-test-" + ProcessHandle.current().pid();
    private static Path tmp;
    private static Path rootfs;
    private static RuncConmonRuntime runtime;
    private static ExecHelper helper;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(TestRootfs.isRoot(), "needs root");
        assumeTrue(TestRootfs.installed("/usr/sbin/runc") && TestRootfs.installed("/usr/bin/conmon"),
                "needs runc and conmon");
        tmp = Files.createTempDirectory("skiff-rt");
        rootfs = TestRootfs.busybox(tmp.resolve("rootfs"));
        runtime = new RuncConmonRuntime(Path.of("/usr/sbin/runc"), Path.of("/usr/bin/conmon"), tmp.resolve("run"),
                CGROUP_PARENT);
        // as the daemon runs it: terminal-less execs through skiff-exec (built by Maven's compile phase)
        helper = ExecHelper.load(Path.of("target/native/skiff-exec"));
        runtime.useExecHelper(helper);
    }

    @AfterAll
    static void tearDown() throws Exception {
        TestRootfs.deleteTree(tmp);
        // runc removes each container's cgroup but not the parent the test made up: rmdir it everywhere.
        try (var controllers = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path c : controllers.toList()) {
                try {
                    Files.deleteIfExists(c.resolve(CGROUP_PARENT.substring(1)));
                } catch (java.io.IOException e) {
                    // not a controller directory, or still busy: nothing more a test can do
                }
            }
        }
    }

    @Override
    protected ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected Path rootfs() {
        return rootfs;
    }

    @Override
    protected Path scratch() {
        return tmp.resolve("bundles");
    }

    @Override
    protected Path memoryLimitFile(String id) {
        String cg = runtime.cgroupPath(id);
        return CgroupFiles.file(cg, "memory", CgroupFiles.isV2() ? "memory.max" : "memory.limit_in_bytes");
    }

    @Test
    void exec_withoutTheHelper_goesThroughRunc() throws Exception {
        runtime.useExecHelper(null);
        try {
            exec_returnsOutputAndExitCode();
            exec_ofMissingCommand_is127();
        } finally {
            runtime.useExecHelper(helper);
        }
    }

    @Test
    void overlayRootfs_keepsTheContainersWritesInUpper() throws Exception {
        OverlaySnapshotter snapshots = new OverlaySnapshotter(tmp.resolve("snap"));
        String id = "ovl-" + ProcessHandle.current().pid();
        snapshots.prepare(id, List.of(rootfs));
        try {
            Path merged = snapshots.mount(id);
            Path bundle = Files.createDirectories(tmp.resolve("bundles").resolve(id));
            RuntimeSpec spec = new RuntimeSpec(new RuntimeSpec.Process(List.of("sh", "-c", "echo hi > /written"),
                    List.of(), "/", "", List.of(), false, List.of(), List.of(), List.of()), merged.toString(), false,
                    null, null, false, List.of(), null, RuntimeSpec.NetworkMode.NONE, null, null, false, Map.of(),
                    null, false, Map.of());
            runtime.create(new CreateRequest(id, id, bundle, spec, bundle.resolve("log"), 0, false, false));
            try {
                runtime.start(id);
                assertThat(awaitExit(id)).isZero();
                assertThat(snapshots.upperDir(id).resolve("written")).hasContent("hi\n");
                assertThat(rootfs.resolve("written")).doesNotExist();
            } finally {
                runtime.delete(id, true);
            }
        } finally {
            snapshots.remove(id);
        }
    }

    @Test
    void conmon_keepsNoneOfTheDaemonsEnvironmentButPath() throws Exception {
        Ctr c = create(RuntimeSpec.Resources.NONE, false, "true");
        try {
            String environ = Files.readString(Path.of("/proc/" + c.created().monitorPid() + "/environ"));
            List<String> names = java.util.Arrays.stream(environ.split("\0")).map(v -> v.substring(0, v.indexOf('='))).toList();
            // the test JVM has HOME, JAVA_HOME and more: none reach conmon; PWD is the launching sh's own
            assertThat(names).contains("PATH", "LC_ALL", "_OCI_SYNCPIPE").doesNotContain("HOME", "JAVA_HOME")
                    .allMatch(n -> List.of("PATH", "TZ", "LC_ALL", "PWD", "_OCI_SYNCPIPE", "SKIFF_SYNC_FIFO").contains(n));
        } finally {
            runtime.delete(c.id(), true);
        }
    }

    @Test
    void timings_ofCreateStartWaitDelete() throws Exception {
        // Warm up once (class loading, page cache), then measure the path "docker run --rm busybox true" takes.
        awaitExit(run("true").id());
        long t0 = System.nanoTime();
        Ctr c = create(RuntimeSpec.Resources.NONE, false, "true");
        long t1 = System.nanoTime();
        runtime.start(c.id());
        long t2 = System.nanoTime();
        assertThat(runtime.awaitExit(c.id(), Duration.ofSeconds(20))).isPresent();
        long t3 = System.nanoTime();
        runtime.delete(c.id(), false);
        long t4 = System.nanoTime();
        System.out.printf("runtime timings: create %d ms, start %d ms, exit seen %d ms, delete %d ms, total %d ms%n",
                ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t4 - t0));
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}

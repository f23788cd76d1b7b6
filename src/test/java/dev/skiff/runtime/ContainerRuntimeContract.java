package dev.skiff.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.UnavailableException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ContainerRuntime} must do, run against a busybox rootfs. Subclasses provide the runtime,
 * a rootfs and a scratch directory; the contract deletes every container it made.
 */
public abstract class ContainerRuntimeContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private final List<String> created = new ArrayList<>();

    protected abstract ContainerRuntime runtime();

    /** A busybox root filesystem directory shared by the tests (read-only use is enough). */
    protected abstract Path rootfs();

    /** Where bundles and logs go. */
    protected abstract Path scratch();

    /** The cgroup file holding the memory limit of a container, or null when the runtime cannot say. */
    protected abstract Path memoryLimitFile(String id);

    @AfterEach
    void deleteContainers() {
        for (String id : created) {
            try {
                runtime().delete(id, true);
            } catch (RuntimeException e) {
                // best effort: already gone
            }
        }
        created.clear();
    }

    protected record Ctr(String id, Path log, CreatedContainer created) {
    }

    protected Ctr create(RuntimeSpec.Resources resources, boolean openStdin, String... args) throws Exception {
        return create(resources, openStdin, false, false, "", args);
    }

    protected Ctr create(RuntimeSpec.Resources resources, boolean openStdin, boolean terminal, boolean privileged,
                         String user, String... args) throws Exception {
        String id = "contract-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        Path bundle = Files.createDirectories(scratch().resolve(id));
        Path log = bundle.resolve("ctr.log");
        RuntimeSpec spec = new RuntimeSpec(
                new RuntimeSpec.Process(List.of(args), List.of(), "/", user, List.of(), terminal, List.of(), List.of(),
                        List.of()),
                rootfs().toString(), false, "ctr", null, privileged, List.of(), resources, RuntimeSpec.NetworkMode.NONE,
                null, null, false, Map.of(), null, false, Map.of());
        created.add(id);
        CreatedContainer c = runtime().create(new CreateRequest(id, id, bundle, spec, log, 0, openStdin, true));
        return new Ctr(id, log, c);
    }

    protected Ctr run(String... args) throws Exception {
        Ctr c = create(RuntimeSpec.Resources.NONE, false, args);
        runtime().start(c.id());
        return c;
    }

    protected int awaitExit(String id) throws InterruptedException {
        return runtime().awaitExit(id, Duration.ofSeconds(20)).orElseThrow().exitCode();
    }

    @Test
    void create_reportsPidAndMonitor_andStateIsCreated() throws Exception {
        Ctr c = create(RuntimeSpec.Resources.NONE, false, "true");
        assertThat(c.created().pid()).isPositive();
        assertThat(c.created().monitorPid()).isPositive();
        assertThat(runtime().state(c.id())).get().extracting(RuntimeState::status).isEqualTo("created");
        assertThat(runtime().monitorAlive(c.id())).isTrue();
    }

    @Test
    void run_writesTheLog_andRecordsExitCode() throws Exception {
        Ctr c = run("sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(awaitExit(c.id())).isEqualTo(3);
        String log = Files.readString(c.log());
        assertThat(log).contains(" stdout F out").contains(" stderr F err");
        assertThat(runtime().exitCode(c.id())).get().extracting(ExitStatus::oomKilled).isEqualTo(false);
    }

    @Test
    void kill_withSigkill_exits137() throws Exception {
        // PID 1 of a pid namespace ignores signals it has no handler for (SIGTERM included), so a bare
        // "sleep 1000" only dies of SIGKILL, as under Docker without --init.
        Ctr c = run("sleep", "1000");
        assertThat(runtime().state(c.id())).get().extracting(RuntimeState::status).isEqualTo("running");
        runtime().kill(c.id(), 9, false);
        assertThat(awaitExit(c.id())).isEqualTo(137);
    }

    @Test
    void kill_withSigterm_reachesPid1() throws Exception {
        Ctr c = run("sh", "-c", "trap 'exit 143' TERM; while :; do sleep 0.05; done");
        Thread.sleep(100); // let sh install its trap
        runtime().kill(c.id(), 15, false);
        assertThat(awaitExit(c.id())).isEqualTo(143);
    }

    @Test
    void killAll_withSigterm_endsAChildSleep() throws Exception {
        // Not PID 1: the child sleep dies of SIGTERM, and sh (PID 1) reports 128+15.
        Ctr c = run("sh", "-c", "sleep 1000; exit $?");
        Thread.sleep(100);
        runtime().kill(c.id(), 15, true);
        assertThat(awaitExit(c.id())).isIn(143, 137);
    }

    @Test
    void pauseAndResume() throws Exception {
        Ctr c = run("sleep", "1000");
        assertThat(runtime().frozen(c.id())).isFalse();
        runtime().pause(c.id());
        assertThat(runtime().state(c.id())).get().extracting(RuntimeState::status).isEqualTo("paused");
        assertThat(runtime().frozen(c.id())).isTrue();
        runtime().resume(c.id());
        assertThat(runtime().state(c.id())).get().extracting(RuntimeState::status).isEqualTo("running");
        assertThat(runtime().frozen(c.id())).isFalse();
        assertThat(runtime().pids(c.id())).contains(c.created().pid());
    }

    @Test
    protected void exec_returnsOutputAndExitCode() throws Exception {
        Ctr c = run("sleep", "1000");
        ExecSession exec = runtime().exec(c.id(), new RuntimeSpec.Process(List.of("sh", "-c", "echo hi; exit 4"),
                List.of(), null, null, List.of(), false, List.of(), List.of(), List.of()), false);
        assertThat(output(exec)).isEqualTo("hi\n");
        assertThat(exec.waitFor()).isEqualTo(4);
    }

    @Test
    void exec_withTerminal_isATtyThatResizes() throws Exception {
        Ctr c = run("sleep", "1000");
        // runc copies the size inward when it handles the SIGWINCH the resize sends: a moment after resize returns,
        // so the shell looks a few times (under a loaded full run it once looked before runc had: "0 0")
        String script = "read x; tty; for i in 1 2 3 4 5 6 7 8 9 10; do s=$(stty size); [ \"$s\" = \"30 100\" ] && break;"
                + " sleep 0.1; done; echo \"$s\"; exit 5";
        ExecSession exec = runtime().exec(c.id(), new RuntimeSpec.Process(List.of("sh", "-c", script),
                List.of(), null, null, List.of(), true, List.of(), List.of(), List.of()), true);
        assertThat(exec.pid()).isPositive();
        exec.resize(30, 100);
        byte[] go = "go\n".getBytes(StandardCharsets.UTF_8);
        exec.writeStdin(go, 0, go.length);
        String out = output(exec);
        assertThat(out).contains("/dev/pts/").contains("30 100");
        assertThat(exec.waitFor()).isEqualTo(5);
    }

    @Test
    protected void exec_ofMissingCommand_is127() throws Exception {
        Ctr c = run("sleep", "1000");
        ExecSession exec = runtime().exec(c.id(), new RuntimeSpec.Process(List.of("no-such-command"),
                List.of(), null, null, List.of(), false, List.of(), List.of(), List.of()), false);
        output(exec);
        assertThat(exec.waitFor()).isEqualTo(127);
    }

    @Test
    void attach_receivesOutput_andSendsStdin() throws Exception {
        Ctr c = create(RuntimeSpec.Resources.NONE, true, "cat");
        try (AttachSession a = runtime().attach(c.id(), true, true, true)) {
            runtime().start(c.id());
            byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
            a.writeStdin(hello, 0, hello.length);
            a.closeStdin();
            assertThat(output(a)).isEqualTo("hello\n");
        }
        assertThat(awaitExit(c.id())).isZero();
    }

    @Test
    void attach_toATerminal_resizesThroughTheMonitor() throws Exception {
        Ctr c = create(RuntimeSpec.Resources.NONE, true, true, false, "", "sh", "-c", "read x; stty size");
        try (AttachSession a = runtime().attach(c.id(), true, true, true)) {
            runtime().start(c.id());
            runtime().resize(c.id(), 40, 120);
            Thread.sleep(100); // conmon applies the size from its event loop
            byte[] go = "go\n".getBytes(StandardCharsets.UTF_8);
            a.writeStdin(go, 0, go.length);
            assertThat(output(a)).contains("40 120");
        }
        assertThat(awaitExit(c.id())).isZero();
    }

    @Test
    void networkNone_hasLoopbackUp() throws Exception {
        Ctr c = run("sh", "-c", "ip link show lo");
        assertThat(awaitExit(c.id())).isZero();
        assertThat(Files.readString(c.log())).contains("LOOPBACK,UP");
    }

    @Test
    void user_isResolvedFromTheImage() throws Exception {
        Ctr c = create(RuntimeSpec.Resources.NONE, false, false, false, "nobody", "sh", "-c", "echo $(id -u):$(id -g)");
        runtime().start(c.id());
        assertThat(awaitExit(c.id())).isZero();
        assertThat(Files.readString(c.log())).contains("stdout F 65534:65534");
    }

    @Test
    void privileged_runsWithEveryCapabilityTheHostAllows() throws Exception {
        Ctr c = create(RuntimeSpec.Resources.NONE, false, false, true, "", "sh", "-c",
                "grep CapEff /proc/self/status; mount -t tmpfs none /tmp");
        runtime().start(c.id());
        assertThat(awaitExit(c.id())).as(Files.readString(c.log())).isZero();
        assertThat(Files.readString(c.log())).doesNotContain("CapEff:\t00000000a80425fb");
    }

    @Test
    void memoryLimit_landsInTheCgroup() throws Exception {
        RuntimeSpec.Resources r = new RuntimeSpec.Resources(64L << 20, 0, 0, 0, 0, 0, 0, null, null, 0, 0);
        Ctr c = create(r, false, "true");
        Path file = memoryLimitFile(c.id());
        if (file != null) {
            assertThat(Files.readString(file).trim()).isEqualTo(Long.toString(64L << 20));
        }
        assertThat(runtime().stats(c.id()).memoryLimit()).isEqualTo(64L << 20);
    }

    @Test
    void update_changesTheLimitOfALiveContainer() throws Exception {
        Ctr c = run("sleep", "1000");
        runtime().update(c.id(), new RuntimeSpec.Resources(96L << 20, -1, 0, 0, 0, 0, 0, null, null, 0, 0));
        assertThat(runtime().stats(c.id()).memoryLimit()).isEqualTo(96L << 20);
    }

    @Test
    void missingCommand_failsCreate_asCommandNotFound() {
        assertThatThrownBy(() -> run("no-such-command"))
                .isInstanceOf(UnavailableException.class)
                .satisfies(e -> assertThat(StartFailure.of(e.getMessage())).isEqualTo(StartFailure.COMMAND_NOT_FOUND));
    }

    @Test
    void nonExecutableCommand_failsCreate_asNotExecutable() {
        assertThatThrownBy(() -> run("/etc/passwd"))
                .isInstanceOf(UnavailableException.class)
                .satisfies(e -> assertThat(StartFailure.of(e.getMessage())).isEqualTo(StartFailure.NOT_EXECUTABLE));
    }

    @Test
    void delete_forgetsTheContainer() throws Exception {
        Ctr c = run("true");
        awaitExit(c.id());
        runtime().delete(c.id(), false);
        assertThat(runtime().state(c.id())).isEmpty();
        assertThat(runtime().exitCode(c.id())).isEmpty();
    }

    /** Everything a session outputs until EOF, as text. */
    protected static String output(AttachSession s) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (s.readOutput((stream, data, off, len) -> out.write(data, off, len))) {
            // keep reading
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}

package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real docker CLI (28.2.2) against a real skiffd: containers, as people run them. */
class DockerCliContainersIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void run_printsOutputAndRemovesWithRm() {
        Cli.Result r = docker(daemon, "run", "--rm", "busybox", "echo", "hello from skiff").assertOk();
        assertThat(r.stdout()).isEqualTo("hello from skiff\n");
        assertThat(docker(daemon, "ps", "-aq").out()).isEmpty();
    }

    /** /etc/hostname, hosts and resolv.conf are 0644, as dockerd's: a process that is not root resolves names too. */
    @Test
    void aUserOtherThanRoot_readsTheContainersEtcFiles() {
        for (String network : new String[] {"none", "host"}) {
            Cli.Result r = docker(daemon, "run", "--rm", "--network", network, "--user", "1000:1000", "busybox", "sh",
                    "-c", "cat /etc/hostname /etc/hosts /etc/resolv.conf > /dev/null && stat -c %a /etc/hostname"
                            + " /etc/hosts /etc/resolv.conf").assertOk();
            assertThat(r.stdout()).as(network).isEqualTo("644\n644\n644\n");
        }
    }

    @Test
    void restart_keepsARmContainer_andItsChanges_untilItStops() {
        // dockerd's restart does not auto-remove (HasBeenManuallyRestarted); a --rm snapshot is volatile and mounts again
        docker(daemon, "run", "-d", "--rm", "--name", "rm-restart", "busybox", "sh", "-c",
                "echo kept >> /f; sleep 600").assertOk();
        docker(daemon, "restart", "-t", "1", "rm-restart").assertOk();
        assertThat(docker(daemon, "exec", "rm-restart", "cat", "/f").assertOk().stdout()).isEqualTo("kept\nkept\n");
        docker(daemon, "stop", "-t", "1", "rm-restart").assertOk();
        String left = "?";
        for (int i = 0; i < 100 && !left.isEmpty(); i++) { // removed right after the exit, on a thread of its own
            left = docker(daemon, "ps", "-aq", "--filter", "name=rm-restart").out();
            if (!left.isEmpty()) {
                sleep(50);
            }
        }
        assertThat(left).isEmpty();
    }

    @Test
    void inspect_namesTheEtcFilesAndTheNoneNetwork_onlyOnceStarted_asDockerd() {
        docker(daemon, "create", "--network", "none", "--name", "not-yet", "busybox", "sleep", "600").assertOk();
        String fmt = "[{{.HostsPath}}] [{{.LogPath}}] [{{.NetworkSettings.Networks.none.NetworkID}}]"
                + " [{{.NetworkSettings.Networks.none.EndpointID}}]";
        try {
            assertThat(docker(daemon, "inspect", "-f", fmt, "not-yet").assertOk().out()).isEqualTo("[] [] [] []");
            docker(daemon, "start", "not-yet").assertOk();
            String noneId = docker(daemon, "network", "inspect", "-f", "{{.Id}}", "none").assertOk().out();
            String running = docker(daemon, "inspect", "-f", fmt, "not-yet").assertOk().out();
            assertThat(running).matches("\\[/.*/hosts\\] \\[/.*\\] \\[" + noneId + "\\] \\[[0-9a-f]{64}\\]");
            docker(daemon, "stop", "-t", "0", "not-yet").assertOk();
            assertThat(docker(daemon, "inspect", "-f", fmt, "not-yet").assertOk().out()).endsWith("[" + noneId + "] []");
        } finally {
            docker(daemon, "rm", "-f", "not-yet");
        }
    }

    @Test
    void run_exitCodeOfPid1IsTheCliExitCode() {
        assertThat(docker(daemon, "run", "--rm", "busybox", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
    }

    @Test
    void run_missingCommandIs127_notExecutableIs126() {
        Cli.Result missing = docker(daemon, "run", "--rm", "busybox", "no-such-command");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains("no-such-command");
        Cli.Result notExec = docker(daemon, "run", "--rm", "busybox", "/etc/passwd");
        assertThat(notExec.exitCode()).isEqualTo(126);
    }

    @Test
    void run_unknownImageIsAnEngineError() {
        Cli.Result r = docker(daemon, "run", "--rm", "no-such-image-here");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("no-such-image-here");
    }

    @Test
    void run_stdoutAndStderrStaySeparate() {
        Cli.Result r = docker(daemon, "run", "--rm", "busybox", "sh", "-c", "echo out; echo err >&2").assertOk();
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void run_stdinReachesPid1WithI() {
        Cli.Result r = Cli.dockerWithInput(daemon, "piped\n".getBytes(), "run", "--rm", "-i", "busybox", "cat").assertOk();
        assertThat(r.stdout()).isEqualTo("piped\n");
    }

    @Test
    void run_envWorkdirUserHostname() {
        assertThat(docker(daemon, "run", "--rm", "-e", "FOO=bar", "busybox", "sh", "-c", "echo $FOO").assertOk().out())
                .isEqualTo("bar");
        assertThat(docker(daemon, "run", "--rm", "-w", "/tmp", "busybox", "pwd").assertOk().out()).isEqualTo("/tmp");
        assertThat(docker(daemon, "run", "--rm", "-u", "33:33", "busybox", "id", "-u").assertOk().out()).isEqualTo("33");
        assertThat(docker(daemon, "run", "--rm", "--hostname", "boat", "busybox", "hostname").assertOk().out())
                .isEqualTo("boat");
    }

    @Test
    void run_readOnlyRootfsWithTmpfs() {
        assertThat(docker(daemon, "run", "--rm", "--read-only", "busybox", "touch", "/x").exitCode()).isNotZero();
        docker(daemon, "run", "--rm", "--read-only", "--tmpfs", "/scratch", "busybox", "touch", "/scratch/x").assertOk();
    }

    @Test
    void run_memoryLimitLandsInTheCgroup() {
        String limit = docker(daemon, "run", "--rm", "--memory", "64m", "busybox", "sh", "-c",
                "cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max").assertOk().out();
        assertThat(limit).isEqualTo("67108864");
    }

    @Test
    void run_withoutNetworkFlagJoinsTheBridge_networkNoneHasOnlyLoopback() {
        String links = docker(daemon, "run", "--rm", "busybox", "ls", "/sys/class/net").assertOk().out();
        assertThat(links.split("\\s+")).containsExactly("eth0", "lo");
        String none = docker(daemon, "run", "--rm", "--network", "none", "busybox", "ls", "/sys/class/net").assertOk().out();
        assertThat(none.split("\\s+")).containsExactly("lo");
    }

    @Test
    void capabilities_defaultSetDropAndPrivileged() {
        // CAP_NET_ADMIN is not in Docker's default set: changing a link's MTU needs it.
        assertThat(docker(daemon, "run", "--rm", "busybox", "ip", "link", "set", "lo", "mtu", "1500").exitCode()).isNotZero();
        docker(daemon, "run", "--rm", "--cap-add", "NET_ADMIN", "busybox", "ip", "link", "set", "lo", "mtu", "1500").assertOk();
        docker(daemon, "run", "--rm", "--privileged", "busybox", "ip", "link", "set", "lo", "mtu", "1500").assertOk();
        // CAP_CHOWN is in the default set; dropping it makes chown fail.
        assertThat(docker(daemon, "run", "--rm", "--cap-drop", "CHOWN", "busybox", "chown", "33", "/tmp").exitCode()).isNotZero();
    }

    @Test
    void detached_psExecLogsStopRm() {
        String id = docker(daemon, "run", "-d", "--name", "sleeper", "busybox", "sh", "-c", "echo started; exec sleep 1000")
                .assertOk().out();
        assertThat(id).hasSize(64);
        assertThat(docker(daemon, "ps", "--format", "{{.Names}} {{.Status}}").out()).startsWith("sleeper Up");
        assertThat(docker(daemon, "exec", "sleeper", "echo", "inside").assertOk().out()).isEqualTo("inside");
        assertThat(docker(daemon, "exec", "sleeper", "sh", "-c", "exit 5").exitCode()).isEqualTo(5);
        // an exec that cannot start after the stream was taken over: the error arrives as its output (a stdout frame,
        // as dockerd writes it; unframed text made the CLI fail with "Unrecognized input header"), code 126 / 127
        Cli.Result noUser = docker(daemon, "exec", "-u", "nosuchuser", "sleeper", "id");
        assertThat(noUser.exitCode()).isEqualTo(126);
        // dockerd's own finding, without the runtime's prefix, as dockerd says it
        assertThat(noUser.out()).isEqualTo("unable to find user nosuchuser: no matching entries in passwd file");
        // runc's own complaint does not reach stderr as the process's output: dockerd's line comes on stdout
        Cli.Result missing = docker(daemon, "exec", "sleeper", "nosuchcommand");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stdout()).startsWith("OCI runtime exec failed: exec failed: ")
                .contains("\"nosuchcommand\": executable file not found in $PATH: unknown");
        assertThat(missing.stderr()).doesNotContain("exec failed");
        // a process's own stderr, early and fast, still arrives as stderr
        Cli.Result err = docker(daemon, "exec", "sleeper", "sh", "-c", "echo oops >&2; exit 3");
        assertThat(err.exitCode()).isEqualTo(3);
        assertThat(err.stderr()).contains("oops");
        assertThat(err.stdout()).isEmpty();
        assertThat(docker(daemon, "exec", "-w", "relative", "sleeper", "pwd").exitCode()).isEqualTo(126); // runc refused it
        // three stops of one container at once (the CLI sends them in parallel): each waits for the one exit, none
        // fails on a SIGKILL that came after another had killed it
        docker(daemon, "run", "-d", "--name", "stubborn", "busybox", "sh", "-c", "trap '' TERM; sleep 300").assertOk();
        assertThat(docker(daemon, "stop", "-t", "1", "stubborn", "stubborn", "stubborn").assertOk().out().lines())
                .containsExactly("stubborn", "stubborn", "stubborn");
        assertThat(docker(daemon, "kill", "stubborn").stderr()).contains("Cannot kill container: stubborn: Container ")
                .contains(" is not running");
        docker(daemon, "rm", "stubborn").assertOk();
        awaitLogs("sleeper", "started");
        // sleep as PID 1 ignores SIGTERM: stop must fall back to SIGKILL after the timeout.
        docker(daemon, "stop", "-t", "1", "sleeper").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.ExitCode}}", "sleeper").out()).isEqualTo("137");
        assertThat(docker(daemon, "ps", "-a", "--filter", "name=sleeper", "--format", "{{.Status}}").out())
                .startsWith("Exited (137)");
        docker(daemon, "rm", "sleeper").assertOk();
        assertThat(docker(daemon, "inspect", "sleeper").exitCode()).isEqualTo(1);
    }

    @Test
    void run_withTtyGivesAPseudoTerminal() {
        // script(1) gives the docker CLI a terminal of its own, as a person's shell would.
        Cli.Result r = Cli.run(daemon, java.util.List.of("script", "-qec",
                "docker run --rm -t busybox sh -c 'tty; stty size'", "/dev/null"), null).assertOk();
        assertThat(r.stdout()).contains("/dev/pts/");
    }

    @Test
    void exec_withTtyGivesAPseudoTerminal() throws Exception {
        docker(daemon, "run", "-d", "--name", "ttyexec", "busybox", "sleep", "1000").assertOk();
        Cli.Result r = Cli.run(daemon, java.util.List.of("script", "-qec", "docker exec -t ttyexec tty", "/dev/null"), null)
                .assertOk();
        assertThat(r.stdout()).contains("/dev/pts/");
        // the daemon leads its session (SkiffdProcess starts it so, as systemd does): the exec's terminal must not
        // have become its controlling terminal, whose hangup at the exec's end stopped it with SIGHUP
        Thread.sleep(300);
        assertThat(ProcessHandle.of(daemon.pid()).map(ProcessHandle::isAlive)).contains(true);
        docker(daemon, "exec", "-t", "ttyexec", "true").assertOk();
        Thread.sleep(300);
        assertThat(ProcessHandle.of(daemon.pid()).map(ProcessHandle::isAlive)).contains(true);
        docker(daemon, "rm", "-f", "ttyexec").assertOk();
    }

    @Test
    void rm_ofRunningContainerNeedsForce() {
        docker(daemon, "run", "-d", "--name", "busy", "busybox", "sleep", "1000").assertOk();
        Cli.Result r = docker(daemon, "rm", "busy");
        assertThat(r.exitCode()).isNotZero();
        assertThat(r.stderr()).contains("stop the container before removing or force remove");
        docker(daemon, "rm", "-f", "busy").assertOk();
    }

    @Test
    void rmForce_endsEveryProcessOfTheContainer() throws Exception {
        String id = docker(daemon, "run", "-d", "busybox", "sh", "-c", "sleep 1001 & exec sleep 1002").assertOk().out();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (processesOf(id) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20); // run -d returns once PID 1 runs; the shell forks its child a moment later
        }
        assertThat(processesOf(id)).isGreaterThanOrEqualTo(2);
        docker(daemon, "rm", "-f", id).assertOk();
        assertThat(processesOf(id)).as("processes of a force-removed container").isZero();
    }

    /** Processes whose cgroup names the container. */
    private static long processesOf(String id) throws java.io.IOException {
        long n = 0;
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (var p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    if (java.nio.file.Files.readString(p.resolve("cgroup")).contains(id)) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        return n;
    }

    @Test
    void unknownContainer_isDockersMessage() {
        Cli.Result r = docker(daemon, "stop", "nope-nope");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("No such container: nope-nope");
    }

    private static void awaitLogs(String name, String expected) {
        for (int i = 0; i < 100; i++) {
            if (docker(daemon, "logs", name).stdout().contains(expected)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        throw new AssertionError("logs of " + name + " never showed " + expected);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

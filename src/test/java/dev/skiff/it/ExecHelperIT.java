package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * skiff-exec, the exec helper, confines a process exactly as runc exec does. The daemon runs a terminal-less exec
 * through the helper and an exec with a terminal (-t) through runc, so the same command under both, in the same
 * container, must see the same identity, capabilities, no_new_privs, seccomp answers, cgroups, namespaces, limits,
 * directory and environment, and fail with the same words and codes.
 */
class ExecHelperIT {
    /** Everything of its confinement a process can read about itself. */
    private static final String SELF = "grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs|Seccomp[a-z_]*|SigBlk):' /proc/self/status;"
            + " cat /proc/self/cgroup; for n in cgroup ipc mnt net pid uts user; do readlink /proc/self/ns/$n; done;"
            + " cat /proc/self/oom_score_adj; pwd; id; env | grep -v '^TERM=' | sort; /probe";

    static SkiffdProcess d;
    static Path probe;

    @BeforeAll
    static void start() throws Exception {
        d = SkiffdProcess.startWithBusybox();
        probe = d.dir().resolve("probe");
        Process cc = new ProcessBuilder("cc", "-static", "-O2", "-o", probe.toString(),
                Cli.repo().resolve("src/test/resources/exec/syscall-probe.c").toString()).inheritIO().start();
        assertThat(cc.waitFor()).as("cc of the syscall probe").isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (d != null) {
            d.close();
        }
    }

    @Test
    void theDaemon_execsThroughTheHelper_fromASealedInMemoryCopy() throws Exception {
        assertThat(d.log()).contains("exec: through skiff-exec");
        docker(d, "run", "-d", "--name", "sealed", "busybox", "sleep", "1000").assertOk();
        try {
            docker(d, "exec", "-d", "sealed", "sleep", "31.25").assertOk();
            long pid = waitForProcess("sleep 31.25");
            long parent = Long.parseLong(Files.readString(Path.of("/proc/" + pid + "/stat"))
                    .replaceAll("^.*\\) \\S+ (\\d+) .*$", "$1").trim());
            // the parent is the helper, run from a memfd nothing can write (CVE-2019-5736), not a file on disk
            assertThat(Files.readSymbolicLink(Path.of("/proc/" + parent + "/exe")).toString())
                    .startsWith("/memfd:skiff-exec");
            // and only the process is in the container: the helper stays out of its cgroups
            String top = docker(d, "top", "sealed").assertOk().out();
            assertThat(top).contains("sleep 31.25").doesNotContain("skiff-exec");
        } finally {
            docker(d, "rm", "-f", "sealed");
        }
    }

    @Test
    void aProcess_seesTheSameConfinement_underTheHelperAndUnderRunc() throws Exception {
        List<List<String>> containers = List.of(
                List.of(),
                List.of("--cap-add", "SYS_ADMIN", "--cap-drop", "CHOWN", "--ulimit", "nofile=500:600"),
                List.of("--security-opt", "no-new-privileges", "-u", "1000:1000", "--group-add", "5",
                        "--oom-score-adj", "300"),
                List.of("--security-opt", "seccomp=unconfined", "--network", "none", "--ipc", "host"),
                List.of("--privileged"));
        List<List<String>> execs = List.of(List.of(), List.of("-u", "1000"), List.of("-u", "0", "--privileged"),
                List.of("-w", "/tmp", "-e", "X=1", "-e", "PATH=/bin"));
        int n = 0;
        for (List<String> options : containers) {
            String name = "same-" + n++;
            List<String> run = new ArrayList<>(List.of("run", "-d", "--name", name));
            run.addAll(options);
            run.addAll(List.of("busybox", "sleep", "1000"));
            docker(d, run.toArray(String[]::new)).assertOk();
            try {
                docker(d, "cp", probe.toString(), name + ":/probe").assertOk();
                for (List<String> exec : execs) {
                    String helper = exec(name, exec, false);
                    String runc = exec(name, exec, true);
                    assertThat(helper).as("docker exec %s %s in a container run with %s", exec, name, options)
                            .isEqualTo(runc).contains("Seccomp:").contains("syscall 999:");
                }
                // No signal ignored: the daemon's JVM ignores 32 and 33, which glibc reserves; runc leaves 32 as it
                // found it (Go never touches it), the helper resets them all, as containerd's runc does from systemd
                assertThat(docker(d, "exec", name, "grep", "SigIgn", "/proc/self/status").assertOk().out())
                        .isEqualTo("SigIgn:\t0000000000000000");
                // Limits as PID 1's. Not compared with runc's: runc 1.1.5's init, a Go 1.19 program, raises its soft
                // RLIMIT_NOFILE to the hard limit at start, and an exec'd process inherits that (500:600 becomes
                // 600:600 under runc exec; runc 1.2 fixed it)
                assertThat(docker(d, "exec", name, "cat", "/proc/self/limits").assertOk().out())
                        .isEqualTo(docker(d, "exec", name, "cat", "/proc/1/limits").assertOk().out());
            } finally {
                docker(d, "rm", "-f", name);
            }
        }
    }

    @Test
    void aProcessThatCannotStart_failsInRuncsWordsAndCodes() {
        docker(d, "run", "-d", "--name", "fails", "busybox", "sleep", "1000").assertOk();
        try {
            docker(d, "exec", "fails", "sh", "-c", "printf 'echo hi' > /noshebang; chmod +x /noshebang").assertOk();
            for (List<String> exec : List.of(List.of("nosuch"), List.of("/etc"), List.of("/etc/passwd"),
                    List.of("/nosuch/x"), List.of("-w", "/nonexistent", "true"), List.of("/noshebang"),
                    List.of("-e", "PATH=", "sh"), List.of("-u", "nosuchuser", "true"))) {
                List<String> flags = exec.subList(0, exec.size() - 1);
                List<String> command = List.of(exec.getLast());
                Cli.Result helper = execResult("fails", flags, command, false);
                Cli.Result runc = execResult("fails", flags, command, true);
                assertThat(helper.exitCode()).as("exit code of docker exec %s", exec).isEqualTo(runc.exitCode())
                        .isNotZero();
                // a terminal's carriage returns aside (the runc side has one)
                assertThat((helper.stdout() + helper.stderr()).replace("\r", "")).as("output of docker exec %s", exec)
                        .isEqualTo((runc.stdout() + runc.stderr()).replace("\r", ""));
            }
        } finally {
            docker(d, "rm", "-f", "fails");
        }
    }

    @Test
    void aProcessRunAsAnotherUser_canReopenItsOwnStdio() {
        docker(d, "run", "-d", "--name", "stdio", "busybox", "sleep", "1000").assertOk();
        try {
            Cli.Result r = docker(d, "exec", "-u", "1000", "stdio", "sh", "-c", "echo out > /dev/stdout; echo err > /dev/stderr");
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).isEqualTo("out\n");
            assertThat(r.stderr()).isEqualTo("err\n");
        } finally {
            docker(d, "rm", "-f", "stdio");
        }
    }

    private static String exec(String container, List<String> flags, boolean tty) {
        Cli.Result r = execResult(container, flags, List.of("sh", "-c", SELF), tty);
        assertThat(r.exitCode()).as("docker exec %s %s: %s", flags, container, r.stdout() + r.stderr()).isZero();
        return r.stdout().replace("\r", "");
    }

    /** docker exec [-t] FLAGS CONTAINER COMMAND: with -t through runc, without through the helper. */
    private static Cli.Result execResult(String container, List<String> flags, List<String> command, boolean tty) {
        List<String> args = new ArrayList<>(List.of("exec"));
        if (tty) {
            args.add("-t");
        }
        args.addAll(flags);
        args.add(container);
        args.addAll(command);
        return docker(d, args.toArray(String[]::new));
    }

    private static long waitForProcess(String cmdline) throws Exception {
        for (int i = 0; i < 100; i++) {
            try (var procs = Files.list(Path.of("/proc"))) {
                for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                    try {
                        String cmd = Files.readString(p.resolve("cmdline")).replace('\0', ' ').trim();
                        if (cmd.equals(cmdline)) {
                            return Long.parseLong(p.getFileName().toString());
                        }
                    } catch (java.io.IOException gone) {
                        // exited meanwhile
                    }
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no process \"" + cmdline + "\" appeared");
    }
}

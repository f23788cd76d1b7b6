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
 * docker run's resource, namespace and device flags through the real docker CLI (and the skiff CLI), checked
 * where the kernel shows them: /proc/self/limits, the container's cgroup files, /proc/sys, `id`, `df`,
 * /proc/PID/ns links compared with the host's. One daemon serves every test.
 */
class DockerCliResourcesIT {
    static SkiffdProcess daemon;
    /** A cgroup parent no other daemon or test uses; removed from every hierarchy at the end. */
    static final String CGROUP_PARENT = "skiff-it-res-" + ProcessHandle.current().pid();

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            docker(daemon, "rm", "-f", "donor", "private-donor", "pidhost", "logless", "upd");
            daemon.close();
        }
        removeCgroupParent();
    }

    private static String sh(String... flagsThenScript) {
        List<String> args = new ArrayList<>(List.of("run", "--rm"));
        args.addAll(List.of(flagsThenScript).subList(0, flagsThenScript.length - 1));
        args.addAll(List.of("busybox", "sh", "-c", flagsThenScript[flagsThenScript.length - 1]));
        return docker(daemon, args.toArray(String[]::new)).assertOk().out();
    }

    private static void refused(String expected, String... args) {
        Cli.Result r = docker(daemon, args);
        assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.stderr()).isEqualTo(125);
        assertThat(r.stderr()).contains(expected);
    }

    private static String hostNs(String type) throws Exception {
        return Files.readSymbolicLink(Path.of("/proc/self/ns/" + type)).toString();
    }

    @Test
    void ulimitsLandInProcSelfLimits() {
        // below this machine's hard limit: raising it is denied here
        assertThat(sh("--ulimit", "nofile=512:1024", "--ulimit", "core=100",
                "grep -E 'Max (open files|core file size)' /proc/self/limits | tr -s ' ' | sed 's/ $//'"))
                .isEqualTo("Max core file size 100 100 bytes\nMax open files 512 1024 files");
        // above the daemon's hard limit: created with a warning, never started (runc may not raise it here)
        Cli.Result high = docker(daemon, "create", "--name", "high-ulimit", "--ulimit", "nofile=99999999", "busybox", "true");
        high.assertOk();
        assertThat(high.stderr()).contains("ulimit nofile=99999999:99999999 is above the daemon's hard limit");
        docker(daemon, "rm", "high-ulimit").assertOk();
        refused("invalid argument \"nofile=abc\" for \"--ulimit\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax",
                "run", "--rm", "--ulimit", "nofile=abc", "busybox", "true");
        refused("invalid argument \"nofile=20:10\" for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: 20 > 10",
                "run", "--rm", "--ulimit", "nofile=20:10", "busybox", "true");
    }

    @Test
    void anyUserMayBindLowPortsAndPing_asDockerdSetsItsNetworkSysctls() {
        assertThat(sh("-u", "nobody", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/net/ipv4/ping_group_range"))
                .isEqualTo("0\n0\t2147483647");
        // nobody binds port 80 (nc is still listening when timeout ends it: 143; a refused bind exits 1 at once)
        assertThat(sh("-u", "nobody", "timeout 1 nc -l -p 80; echo $?")).isEqualTo("143");
        assertThat(sh("--sysctl", "net.ipv4.ip_unprivileged_port_start=1024", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start"))
                .isEqualTo("1024"); // --sysctl wins
        assertThat(sh("--network", "none", "cat /proc/sys/net/ipv4/ip_unprivileged_port_start")).isEqualTo("0");
    }

    @Test
    void namespacedSysctlsAreSetAndOthersRefused() {
        assertThat(sh("--sysctl", "net.ipv4.ip_forward=1", "--sysctl", "kernel.shmmni=1000",
                "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni")).isEqualTo("1\n1000");
        refused("sysctl 'kernel.hostname=x' is not allowed", "run", "--rm", "--sysctl", "kernel.hostname=x", "busybox", "true");
        refused("sysctl \"net.ipv4.ip_forward\" is not allowed in the hosts network namespace",
                "run", "--rm", "--network", "host", "--sysctl", "net.ipv4.ip_forward=1", "busybox", "true");
        refused("sysctl \"kernel.shmmni\" is not allowed in the hosts ipc namespace",
                "run", "--rm", "--ipc", "host", "--sysctl", "kernel.shmmni=1000", "busybox", "true");
    }

    @Test
    void groupAddJoinsGroupsByNameAndNumber() {
        assertThat(sh("--group-add", "daemon", "--group-add", "4242", "-u", "33", "id"))
                .isEqualTo("uid=33(www-data) gid=33(www-data) groups=1(daemon),33(www-data),4242");
    }

    @Test
    void blockDeviceThrottlesAndSwappinessLandInTheCgroup() throws Exception {
        Path disk;
        try (var devs = Files.list(Path.of("/dev"))) {
            disk = devs.filter(p -> {
                try {
                    return ((int) Files.getAttribute(p, "unix:mode") & 0170000) == 0060000;
                } catch (Exception e) {
                    return false;
                }
            }).sorted().findFirst().orElse(null);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(disk != null, "this host has no block device to throttle");
        long rdev = (long) Files.getAttribute(disk, "unix:rdev");
        String dev = (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL)) + ":"
                + (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL));
        boolean v2 = Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
        String script = v2 ? "cat /sys/fs/cgroup/io.max"
                : "cd /sys/fs/cgroup/blkio; cat blkio.throttle.read_bps_device blkio.throttle.write_bps_device"
                        + " blkio.throttle.read_iops_device blkio.throttle.write_iops_device";
        String out = sh("--device-read-bps", disk + ":1mb", "--device-write-bps", disk + ":2mb",
                "--device-read-iops", disk + ":300", "--device-write-iops", disk + ":400", script);
        if (v2) {
            assertThat(out).contains(dev + " rbps=1048576 wbps=2097152 riops=300 wiops=400");
        } else {
            assertThat(out).isEqualTo(dev + " 1048576\n" + dev + " 2097152\n" + dev + " 300\n" + dev + " 400");
            assertThat(sh("--memory-swappiness", "7", "cat /sys/fs/cgroup/memory/memory.swappiness")).isEqualTo("7");
        }
        refused("it is not a block device", "run", "--rm", "--device-read-bps", "/dev/null:1mb", "busybox", "true");
        Cli.Result bad = docker(daemon, "run", "--rm", "--device-write-iops", "/dev/x:lots", "busybox", "true");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("invalid rate for device: /dev/x:lots");
    }

    @Test
    void cpuAndMemoryKnobsLandInTheCgroup() {
        assertThat(sh("--cpuset-cpus", "0", "--cpuset-mems", "0",
                "cat /sys/fs/cgroup/cpuset/cpuset.cpus /sys/fs/cgroup/cpuset/cpuset.mems 2>/dev/null "
                        + "|| cat /sys/fs/cgroup/cpuset.cpus /sys/fs/cgroup/cpuset.mems")).isEqualTo("0\n0");
        assertThat(sh("--cpu-period", "50000", "--cpu-quota", "25000",
                "cat /sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/cpu/cpu.cfs_quota_us 2>/dev/null "
                        + "|| cat /sys/fs/cgroup/cpu.max")).isIn("50000\n25000", "25000 50000");
        assertThat(sh("-m", "64m", "--memory-reservation", "32m", "--oom-kill-disable",
                "cat /sys/fs/cgroup/memory/memory.soft_limit_in_bytes; grep oom_kill_disable /sys/fs/cgroup/memory/memory.oom_control"))
                .isEqualTo("33554432\noom_kill_disable 1");
        assertThat(sh("--oom-score-adj", "500", "cat /proc/1/oom_score_adj")).isEqualTo("500");
        assertThat(sh("--kernel-memory", "50m", "echo ignored")).isEqualTo("ignored");
        refused("Requested CPUs are not available - requested 0-4095", "run", "--rm", "--cpuset-cpus", "0-4095", "busybox", "true");
        refused("Invalid value 0-x for cpuset cpus: invalid format: 0-x", "run", "--rm", "--cpuset-cpus", "0-x", "busybox", "true");
        refused("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)",
                "run", "--rm", "--cpu-period", "10", "busybox", "true");
        refused("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                "run", "--rm", "--cpus", "1", "--cpu-quota", "20000", "busybox", "true");
        refused("Minimum memory limit can not be less than memory reservation limit, see usage",
                "run", "--rm", "-m", "32m", "--memory-reservation", "64m", "busybox", "true");
        refused("Invalid value 1001, range for oom score adj is [-1000, 1000]",
                "run", "--rm", "--oom-score-adj", "1001", "busybox", "true");
        refused("Range of blkio weight is from 10 to 1000", "run", "--rm", "--blkio-weight", "5", "busybox", "true");
    }

    @Test
    void blkioWeightIsDroppedWithDockersWarningWhereTheKernelLacksIt() {
        Cli.Result r = docker(daemon, "create", "--name", "blkio", "--blkio-weight", "300", "busybox", "true");
        try {
            r.assertOk();
            boolean supported = Files.exists(Path.of("/sys/fs/cgroup/blkio/blkio.weight"))
                    || Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"));
            String weight = docker(daemon, "inspect", "-f", "{{.HostConfig.BlkioWeight}}", "blkio").out();
            if (supported) {
                assertThat(weight).isEqualTo("300");
            } else {
                assertThat(r.stderr()).contains("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
                assertThat(weight).isEqualTo("0");
            }
        } finally {
            docker(daemon, "rm", "blkio");
        }
    }

    @Test
    void cgroupParentAndCgroupns() throws Exception {
        assertThat(sh("--cgroup-parent", "/" + CGROUP_PARENT, "--cgroupns", "host", "grep -c /" + CGROUP_PARENT + "/ /proc/self/cgroup"))
                .isNotEqualTo("0");
        assertThat(sh("--cgroupns", "host", "readlink /proc/self/ns/cgroup")).isEqualTo(hostNs("cgroup"));
        assertThat(sh("--cgroupns", "private", "readlink /proc/self/ns/cgroup")).isNotEqualTo(hostNs("cgroup"));
        refused("--cgroupns: invalid CGROUP mode", "run", "--rm", "--cgroupns", "shared", "busybox", "true");
    }

    @Test
    void shmSizeAndIpcModes() throws Exception {
        String df = "df -k /dev/shm | tail -1 | awk '{print $2}'";
        assertThat(sh(df)).isEqualTo("65536");
        assertThat(sh("--shm-size", "128m", df)).isEqualTo("131072");
        assertThat(sh("--ipc", "private", "--shm-size", "32m", df)).isEqualTo("32768");
        assertThat(sh("--ipc", "none", "grep -c ' /dev/shm ' /proc/mounts || true")).isEqualTo("0");
        assertThat(sh("--ipc", "host", "readlink /proc/self/ns/ipc")).isEqualTo(hostNs("ipc"));

        docker(daemon, "run", "-d", "--name", "donor", "--ipc", "shareable", "busybox", "sh", "-c",
                "echo shared > /dev/shm/x; readlink /proc/self/ns/ipc > /dev/shm/ns; sleep 600").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.HostConfig.IpcMode}} {{.HostConfig.ShmSize}}", "donor").out())
                .isEqualTo("shareable 67108864");
        String out = awaitOutput("--ipc", "container:donor", "cat /dev/shm/x; [ \"$(readlink /proc/self/ns/ipc)\" = \"$(cat /dev/shm/ns)\" ] && echo same-ns");
        assertThat(out).isEqualTo("shared\nsame-ns");

        docker(daemon, "run", "-d", "--name", "private-donor", "busybox", "sleep", "600").assertOk(); // private: the default
        refused("non-shareable IPC (hint: use IpcMode:shareable for the donor container)",
                "run", "--rm", "--ipc", "container:private-donor", "busybox", "true");
        refused("invalid IPC mode: bogus", "run", "--rm", "--ipc", "bogus", "busybox", "true");
        refused("invalid argument \"-1\" for \"--shm-size\" flag", "run", "--rm", "--shm-size", "-1", "busybox", "true");
    }

    /** The donor writes its files right after starting: retry briefly until they are there. */
    private static String awaitOutput(String flag, String value, String script) throws InterruptedException {
        String out = "";
        for (int i = 0; i < 50; i++) {
            Cli.Result r = docker(daemon, "run", "--rm", flag, value, "busybox", "sh", "-c", script);
            out = r.out();
            if (r.exitCode() == 0 && out.contains("same-ns")) {
                return out;
            }
            Thread.sleep(100);
        }
        return out;
    }

    @Test
    void pidAndUtsModes() throws Exception {
        long me = ProcessHandle.current().pid();
        assertThat(sh("--pid", "host", "test -d /proc/" + me + " && readlink /proc/self/ns/pid"))
                .isEqualTo(hostNs("pid"));
        docker(daemon, "run", "-d", "--name", "pidhost", "busybox", "sleep", "4321").assertOk();
        assertThat(sh("--pid", "container:pidhost", "ps -o args | grep -c '^sleep 4321'")).isEqualTo("1");
        String hostName = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        assertThat(sh("--uts", "host", "hostname")).isEqualTo(hostName);
        refused("conflicting options: hostname and the UTS mode", "run", "--rm", "--uts", "host", "-h", "x", "busybox", "true");
        refused("--pid: invalid PID mode", "run", "--rm", "--pid", "bogus", "busybox", "true");
        docker(daemon, "create", "--name", "idle", "busybox", "true").assertOk();
        refused("failed to join PID namespace: Container idle is not running", "run", "--rm", "--pid", "container:idle",
                "busybox", "true");
        docker(daemon, "rm", "idle").assertOk();
        assertThat(sh("--domainname", "example.org", "cat /proc/sys/kernel/domainname")).isEqualTo("example.org");
        assertThat(sh("--userns", "host", "echo ok")).isEqualTo("ok");
        refused("--userns: invalid USER mode", "run", "--rm", "--userns", "private", "busybox", "true");
    }

    @Test
    void devicesAreCreatedWithTheirCgroupRules() {
        assertThat(sh("--device", "/dev/null:/dev/mynull",
                "ls -l /dev/mynull | awk '{print substr($1,1,1), $5, $6}'; echo x > /dev/mynull && echo written"))
                .isEqualTo("c 1, 3\nwritten");
        // /dev/fuse is outside Docker's default rules: the --device rule alone decides what the container may do
        assertThat(sh("--device", "/dev/fuse:/dev/f", "exec 3<>/dev/f && echo opened")).isEqualTo("opened");
        Cli.Result readOnly = docker(daemon, "run", "--rm", "--device", "/dev/fuse:/dev/f:r", "busybox", "sh", "-c",
                "exec 3</dev/f && echo read; exec 4>/dev/f");
        assertThat(readOnly.out()).isEqualTo("read");
        assertThat(readOnly.stderr()).contains("Operation not permitted");
        assertThat(sh("--device-cgroup-rule", "c 42:* rmw",
                "cat /sys/fs/cgroup/devices/devices.list 2>/dev/null | grep -c '^c 42:\\* rwm' || echo v2"))
                .isIn("1", "v2");
        // the docker CLI reads "no such file or directory" in a start error as exit 127, with dockerd too
        Cli.Result missing = docker(daemon, "run", "--rm", "--device", "/dev/skiff-nope", "busybox", "true");
        assertThat(missing.exitCode()).isEqualTo(127);
        assertThat(missing.stderr()).contains(
                "error gathering device information while adding custom device \"/dev/skiff-nope\": no such file or directory");
        refused("error gathering device information while adding custom device \"/etc/hostname\": not a device node",
                "run", "--rm", "--device", "/etc/hostname", "busybox", "true");
        refused("invalid device cgroup format 'c 42 rwm'", "run", "--rm", "--device-cgroup-rule", "c 42 rwm", "busybox", "true");
    }

    @Test
    void logDriversAndIsolation() {
        docker(daemon, "run", "-d", "--name", "logless", "--log-driver", "none", "busybox", "sh", "-c", "echo hidden; sleep 600")
                .assertOk();
        Cli.Result logs = docker(daemon, "logs", "logless");
        assertThat(logs.exitCode()).isNotZero();
        assertThat(logs.stderr()).contains("configured logging driver does not support reading");
        String logPath = docker(daemon, "inspect", "--format", "{{.LogPath}}", "logless").assertOk().out();
        assertThat(logPath.isEmpty() || !Files.exists(Path.of(logPath))).as("no log file for the none driver: " + logPath)
                .isTrue();
        assertThat(sh("--log-driver", "none", "echo attached-without-a-log")).isEqualTo("attached-without-a-log");
        refused("logger: no log driver named 'splunk' is registered", "run", "--rm", "--log-driver", "splunk", "busybox", "true");
        refused("unknown log opt 'bogus' for json-file log driver", "run", "--rm", "--log-opt", "bogus=1", "busybox", "true");
        assertThat(sh("--log-driver", "json-file", "--log-opt", "max-size=1m", "--isolation", "default", "echo ok")).isEqualTo("ok");
        refused("Invalid isolation: \"hyperv\" - linux only supports 'default'",
                "run", "--rm", "--isolation", "hyperv", "busybox", "true");
    }

    @Test
    void updateChangesTheLimitsOfARunningContainer() {
        docker(daemon, "run", "-d", "--name", "upd", "-m", "64m", "busybox", "sleep", "600").assertOk();
        docker(daemon, "update", "-m", "96m", "--memory-swap", "192m", "--cpus", "0.5", "--cpu-shares", "256",
                "--pids-limit", "40", "--restart", "on-failure:3", "upd").assertOk();
        String files = "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us "
                + "/sys/fs/cgroup/cpu/cpu.shares /sys/fs/cgroup/pids/pids.max";
        assertThat(docker(daemon, "exec", "upd", "sh", "-c", files).assertOk().out())
                .isEqualTo("100663296\n50000\n256\n40");
        assertThat(docker(daemon, "inspect", "-f",
                "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.RestartPolicy.Name}}:{{.HostConfig.RestartPolicy.MaximumRetryCount}}",
                "upd").out()).isEqualTo("100663296 500000000 on-failure:3");
        assertThat(docker(daemon, "update", "-m", "300m", "upd").stderr())
                .contains("Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time");
    }

    @Test
    void theSkiffCliSendsTheSameFlags() {
        Cli.Result r = Cli.skiff(daemon, "run", "--rm", "--ulimit", "nofile=256:512", "--shm-size", "16m",
                "--oom-score-adj", "300", "--group-add", "4343", "--ipc", "private", "--pid", "host",
                "--device", "/dev/zero:/dev/myzero:rw", "busybox", "sh", "-c",
                "ulimit -n; df -k /dev/shm | tail -1 | awk '{print $2}'; cat /proc/self/oom_score_adj; id -G; "
                        + "test -d /proc/" + ProcessHandle.current().pid() + " && echo host-pids; head -c 3 /dev/myzero | wc -c");
        assertThat(r.assertOk().out()).isEqualTo("256\n16384\n300\n0 4343\nhost-pids\n3");
        Cli.skiff(daemon, "run", "-d", "--name", "skiff-upd", "busybox", "sleep", "600").assertOk();
        assertThat(Cli.skiff(daemon, "update", "--pids-limit", "33", "--cpu-shares", "300", "--restart", "always", "skiff-upd")
                .assertOk().out()).isEqualTo("skiff-upd");
        assertThat(docker(daemon, "exec", "skiff-upd", "cat", "/sys/fs/cgroup/pids/pids.max", "/sys/fs/cgroup/cpu/cpu.shares")
                .assertOk().out()).isEqualTo("33\n300");
        assertThat(docker(daemon, "inspect", "-f", "{{.HostConfig.RestartPolicy.Name}}", "skiff-upd").out()).isEqualTo("always");
        docker(daemon, "rm", "-f", "skiff-upd").assertOk();
        Cli.Result bad = Cli.skiff(daemon, "run", "--rm", "--sysctl", "kernel.hostname=x", "busybox", "true");
        assertThat(bad.exitCode()).isEqualTo(125);
        assertThat(bad.stderr()).contains("sysctl 'kernel.hostname=x' is not allowed");
    }

    /** runc makes the parent in every hierarchy and never removes it. */
    private static void removeCgroupParent() throws Exception {
        Path root = Path.of("/sys/fs/cgroup");
        List<Path> dirs = new ArrayList<>();
        dirs.add(root.resolve(CGROUP_PARENT));
        try (var s = Files.list(root)) {
            s.forEach(d -> dirs.add(d.resolve(CGROUP_PARENT)));
        }
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                try (var children = Files.list(d)) {
                    for (Path c : (Iterable<Path>) children::iterator) {
                        if (Files.isDirectory(c)) {
                            Files.deleteIfExists(c);
                        }
                    }
                }
                Files.deleteIfExists(d);
            }
        }
    }
}

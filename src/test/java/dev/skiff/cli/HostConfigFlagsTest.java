package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** docker run's resource, namespace, device and log flags: the create body docker sends, and docker's flag errors. */
class HostConfigFlagsTest {
    private static JsonNode hostConfig(String... args) throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /containers/create*", "{\"Id\":\"c0ffee\"}");
        CliHarness.Result r = CliHarness.run(api, args);
        assertThat(r.err()).isEmpty();
        return api.request("POST", "/containers/create").json();
    }

    private static String flagError(String... args) {
        CliHarness.Result r = CliHarness.run(new FakeApiClient(), args);
        assertThat(r.exit()).isEqualTo(125);
        return r.err().lines().findFirst().orElse("");
    }

    @Test
    void everyFlagLandsInItsHostConfigField() throws Exception {
        JsonNode b = hostConfig("create", "--ulimit", "nofile=512:1024", "--ulimit", "core=0", "--sysctl", "net.ipv4.ip_forward=1",
                "--sysctl", "kernel.shmmax=1000", "--group-add", "audio", "--group-add", "42", "--cpuset-cpus", "0-1",
                "--cpuset-mems", "0", "--cpu-period", "50000", "--cpu-quota", "25000", "--blkio-weight", "300",
                "--memory-reservation", "32m", "--kernel-memory", "50m", "--oom-kill-disable", "--oom-score-adj", "-500",
                "--cgroup-parent", "/mine", "--cgroupns", "private", "--shm-size", "128m", "--ipc", "shareable",
                "--pid", "container:db", "--uts", "host", "--userns", "host", "--device", "/dev/fuse",
                "--device", "/dev/sda:/dev/xvdc:r", "--device", "/dev/zero:rw", "--device-cgroup-rule", "c 42:* rmw",
                "--log-driver", "json-file", "--log-opt", "max-size=10m", "--log-opt", "max-file=3",
                "--isolation", "default", "--domainname", "example.org", "busybox");
        JsonNode h = b.path("HostConfig");
        assertThat(b.path("Domainname").asText()).isEqualTo("example.org");
        assertThat(h.path("Ulimits").toString()).isEqualTo(
                "[{\"Name\":\"nofile\",\"Hard\":1024,\"Soft\":512},{\"Name\":\"core\",\"Hard\":0,\"Soft\":0}]");
        assertThat(h.path("Sysctls").toString()).isEqualTo("{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1000\"}");
        assertThat(h.path("GroupAdd").toString()).isEqualTo("[\"audio\",\"42\"]");
        assertThat(h.path("CpusetCpus").asText()).isEqualTo("0-1");
        assertThat(h.path("CpusetMems").asText()).isEqualTo("0");
        assertThat(h.path("CpuPeriod").asLong()).isEqualTo(50000);
        assertThat(h.path("CpuQuota").asLong()).isEqualTo(25000);
        assertThat(h.path("BlkioWeight").asInt()).isEqualTo(300);
        assertThat(h.path("MemoryReservation").asLong()).isEqualTo(32L << 20);
        assertThat(h.has("KernelMemory")).isFalse();
        assertThat(h.path("OomKillDisable").asBoolean()).isTrue();
        assertThat(h.path("OomScoreAdj").asInt()).isEqualTo(-500);
        assertThat(h.path("CgroupParent").asText()).isEqualTo("/mine");
        assertThat(h.path("CgroupnsMode").asText()).isEqualTo("private");
        assertThat(h.path("ShmSize").asLong()).isEqualTo(128L << 20);
        assertThat(h.path("IpcMode").asText()).isEqualTo("shareable");
        assertThat(h.path("PidMode").asText()).isEqualTo("container:db");
        assertThat(h.path("UTSMode").asText()).isEqualTo("host");
        assertThat(h.path("UsernsMode").asText()).isEqualTo("host");
        assertThat(h.path("Devices").toString()).isEqualTo("["
                + "{\"PathOnHost\":\"/dev/fuse\",\"PathInContainer\":\"/dev/fuse\",\"CgroupPermissions\":\"rwm\"},"
                + "{\"PathOnHost\":\"/dev/sda\",\"PathInContainer\":\"/dev/xvdc\",\"CgroupPermissions\":\"r\"},"
                + "{\"PathOnHost\":\"/dev/zero\",\"PathInContainer\":\"/dev/zero\",\"CgroupPermissions\":\"rw\"}]");
        assertThat(h.path("DeviceCgroupRules").toString()).isEqualTo("[\"c 42:* rmw\"]");
        assertThat(h.path("LogConfig").toString()).isEqualTo("{\"Type\":\"json-file\",\"Config\":{\"max-size\":\"10m\",\"max-file\":\"3\"}}");
        assertThat(h.path("Isolation").asText()).isEqualTo("default");
    }

    @Test
    void unsetFlagsSendDockersZeroValues() throws Exception {
        JsonNode h = hostConfig("create", "busybox").path("HostConfig");
        assertThat(h.path("IpcMode").asText()).isEmpty();
        assertThat(h.path("ShmSize").asLong()).isZero();
        assertThat(h.path("Ulimits").isNull()).isTrue();
        assertThat(h.path("Devices").toString()).isEqualTo("[]");
        assertThat(h.path("LogConfig").toString()).isEqualTo("{\"Type\":\"\",\"Config\":{}}");
    }

    @Test
    void badValues_areDockersFlagErrors() {
        assertThat(flagError("run", "--ulimit", "nofile", "busybox"))
                .isEqualTo("invalid argument \"nofile\" for \"--ulimit\" flag: invalid ulimit argument: nofile");
        assertThat(flagError("run", "--ulimit", "bogus=1", "busybox"))
                .isEqualTo("invalid argument \"bogus=1\" for \"--ulimit\" flag: invalid ulimit type: bogus");
        assertThat(flagError("run", "--ulimit", "nofile=1:2:3", "busybox")).isEqualTo("invalid argument \"nofile=1:2:3\" "
                + "for \"--ulimit\" flag: too many limit value arguments - 1:2:3, can only have up to two, `soft[:hard]`");
        assertThat(flagError("run", "--ulimit", "nofile=x", "busybox")).isEqualTo(
                "invalid argument \"nofile=x\" for \"--ulimit\" flag: strconv.ParseInt: parsing \"x\": invalid syntax");
        assertThat(flagError("run", "--ulimit", "nofile=20:10", "busybox")).isEqualTo("invalid argument \"nofile=20:10\" "
                + "for \"--ulimit\" flag: ulimit soft limit must be less than or equal to hard limit: 20 > 10");
        assertThat(flagError("run", "--sysctl", "kernel.hostname=x", "busybox"))
                .isEqualTo("invalid argument \"kernel.hostname=x\" for \"--sysctl\" flag: sysctl 'kernel.hostname=x' is not allowed");
        assertThat(flagError("run", "--sysctl", "net.ipv4.ip_forward", "busybox")).contains("is not allowed");
        assertThat(flagError("run", "--device", "/dev/a:/dev/b:rwx", "busybox"))
                .isEqualTo("skiff: bad mode specified: rwx");
        assertThat(flagError("run", "--device", "/dev/a:relative", "busybox"))
                .isEqualTo("skiff: relative is not an absolute path");
        assertThat(flagError("run", "--device", "/a:/b:r:w", "busybox"))
                .isEqualTo("skiff: bad format for path: /a:/b:r:w");
        assertThat(flagError("run", "--device-cgroup-rule", "c 1 rwm", "busybox")).isEqualTo(
                "invalid argument \"c 1 rwm\" for \"--device-cgroup-rule\" flag: invalid device cgroup format 'c 1 rwm'");
        assertThat(flagError("run", "--blkio-weight", "70000", "busybox")).isEqualTo("invalid argument \"70000\" for "
                + "\"--blkio-weight\" flag: strconv.ParseUint: parsing \"70000\": value out of range");
        assertThat(flagError("run", "--cpu-period", "x", "busybox")).isEqualTo(
                "invalid argument \"x\" for \"--cpu-period\" flag: strconv.ParseInt: parsing \"x\": invalid syntax");
        assertThat(flagError("run", "--pid", "shared", "busybox")).isEqualTo("skiff: --pid: invalid PID mode");
        assertThat(flagError("run", "--uts", "private", "busybox")).isEqualTo("skiff: --uts: invalid UTS mode");
        assertThat(flagError("run", "--userns", "private", "busybox")).isEqualTo("skiff: --userns: invalid USER mode");
        assertThat(flagError("run", "--cgroupns", "shared", "busybox")).isEqualTo("skiff: --cgroupns: invalid CGROUP mode");
        assertThat(flagError("run", "--log-driver", "none", "--log-opt", "max-size=1m", "busybox"))
                .isEqualTo("skiff: invalid logging opts for driver none");
        assertThat(flagError("run", "--memory-swappiness", "101", "busybox"))
                .isEqualTo("skiff: invalid value: 101. Valid memory swappiness range is 0-100");
    }

    @Test
    void update_sendsOnlyTheGivenFieldsAndPrintsEachName() throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /containers/a/update", "{\"Warnings\":[]}").on("POST /containers/b/update", "{\"Warnings\":[]}");
        CliHarness.Result r = CliHarness.run(api, "update", "-m", "96m", "--memory-swap", "-1", "--cpus", "0.5", "-c", "256",
                "--pids-limit", "40", "--cpuset-cpus", "0", "--restart", "on-failure:3", "a", "b");
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo("a\nb\n");
        assertThat(api.request("POST", "/containers/a/update").json().toString()).isEqualTo("{\"CpuShares\":256,"
                + "\"NanoCpus\":500000000,\"CpusetCpus\":\"0\",\"Memory\":100663296,\"MemorySwap\":-1,\"PidsLimit\":40,"
                + "\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}}");
        CliHarness.run(api, "update", "--cpu-rt-period", "1000000", "--cpu-rt-runtime", "950000", "b");
        assertThat(api.requests.getLast().json().toString()).isEqualTo("{\"CpuRealtimePeriod\":1000000,\"CpuRealtimeRuntime\":950000}");
        CliHarness.Result none = CliHarness.run(new FakeApiClient(), "update", "a");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("you must provide one or more flags when using this command");
    }

    @Test
    void blockDeviceFlags_sendDockersLists_andRefuseWhatDockerRefuses() throws Exception {
        JsonNode h = hostConfig("create", "--device-read-bps", "/dev/sda:1mb", "--device-write-bps", "/dev/sda:512",
                "--device-read-iops", "/dev/sdb:300", "--device-write-iops", "/dev/sda:400",
                "--blkio-weight-device", "/dev/sda:200", "busybox").path("HostConfig");
        assertThat(h.path("BlkioDeviceReadBps").toString()).isEqualTo("[{\"Path\":\"/dev/sda\",\"Rate\":1048576}]");
        assertThat(h.path("BlkioDeviceWriteBps").toString()).isEqualTo("[{\"Path\":\"/dev/sda\",\"Rate\":512}]");
        assertThat(h.path("BlkioDeviceReadIOps").toString()).isEqualTo("[{\"Path\":\"/dev/sdb\",\"Rate\":300}]");
        assertThat(h.path("BlkioDeviceWriteIOps").toString()).isEqualTo("[{\"Path\":\"/dev/sda\",\"Rate\":400}]");
        assertThat(h.path("BlkioWeightDevice").toString()).isEqualTo("[{\"Path\":\"/dev/sda\",\"Weight\":200}]");
        assertThat(flagError("create", "--device-read-bps", "sda:1mb", "busybox"))
                .isEqualTo("invalid argument \"sda:1mb\" for \"--device-read-bps\" flag: bad format for device path: sda:1mb");
        assertThat(flagError("create", "--device-write-bps", "/dev/sda", "busybox"))
                .isEqualTo("invalid argument \"/dev/sda\" for \"--device-write-bps\" flag: bad format: /dev/sda");
        assertThat(flagError("create", "--device-read-iops", "/dev/sda:-1", "busybox")).contains("invalid rate for device: /dev/sda:-1");
        assertThat(flagError("create", "--blkio-weight-device", "/dev/sda:5", "busybox"))
                .isEqualTo("invalid argument \"/dev/sda:5\" for \"--blkio-weight-device\" flag: invalid weight for device: /dev/sda:5");
    }
}

package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.sys.Json;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** dockerd's HostConfig checks, CPU lists and device mappings. */
class HostConfigRulesTest {
    /** Two CPUs, one memory node, cgroup v1 without a blkio weight knob: this machine. */
    private static final HostFacts V1 = new HostFacts(false, "0-1", "0", false, 2);
    private static final HostFacts V2 = new HostFacts(true, "0-1", "0", true, 2);

    private static ObjectNode h(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    private static ObjectNode apply(String json, HostFacts host, List<String> warnings) throws Exception {
        ObjectNode h = ConfigMerger.normalizeHostConfig(h(json));
        HostConfigRules.applyAtCreate(h, "", host, warnings);
        return h;
    }

    private static String refusal(String json) {
        try {
            apply(json, V1, new ArrayList<>());
        } catch (InvalidArgumentException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("accepted: " + json);
    }

    @Test
    void defaults_areStoredAsDockerdStoresThem() throws Exception {
        ObjectNode v1 = apply("{}", V1, new ArrayList<>());
        assertThat(v1.path("IpcMode").asText()).isEqualTo("private");
        assertThat(v1.path("CgroupnsMode").asText()).isEqualTo("host");
        assertThat(v1.path("ShmSize").asLong()).isEqualTo(64L << 20);
        assertThat(apply("{}", V2, new ArrayList<>()).path("CgroupnsMode").asText()).isEqualTo("private");
        assertThat(apply("{\"ShmSize\":1048576,\"IpcMode\":\"private\"}", V1, new ArrayList<>()).path("ShmSize").asLong())
                .isEqualTo(1048576);
    }

    @Test
    void unknownCapabilities_refusedAtCreate_withTheFieldNamed() throws Exception {
        assertThat(refusal("{\"CapAdd\":[\"CAP_BOGUS\"]}")).startsWith("invalid CapAdd: unknown capability: \"CAP_BOGUS\"");
        assertThat(refusal("{\"CapDrop\":[\"nosuch\"]}")).startsWith("invalid CapDrop: unknown capability: \"nosuch\"");
        apply("{\"CapAdd\":[\"NET_ADMIN\",\"ALL\"],\"CapDrop\":[\"cap_chown\"]}", V1, new ArrayList<>());
    }

    @Test
    void sysctls_onlyWhereTheContainerHasTheNamespace() throws Exception {
        apply("{\"Sysctls\":{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1\",\"fs.mqueue.msg_max\":\"9\"}}", V1, new ArrayList<>());
        assertThat(refusal("{\"Sysctls\":{\"kernel.hostname\":\"x\"}}")).startsWith("sysctl \"kernel.hostname\" is not in a separate kernel namespace");
        assertThat(refusal("{\"NetworkMode\":\"host\",\"Sysctls\":{\"net.core.somaxconn\":\"1\"}}"))
                .isEqualTo("sysctl \"net.core.somaxconn\" is not allowed in the hosts network namespace");
        assertThat(refusal("{\"IpcMode\":\"host\",\"Sysctls\":{\"kernel.msgmax\":\"1\"}}"))
                .isEqualTo("sysctl \"kernel.msgmax\" is not allowed in the hosts ipc namespace");
    }

    @Test
    void modesLogDriversAndRanges_areDockersErrors() throws Exception {
        assertThat(refusal("{\"IpcMode\":\"bogus\"}")).isEqualTo("invalid IPC mode: bogus");
        assertThat(refusal("{\"IpcMode\":\"container:\"}")).isEqualTo("invalid IPC mode: container:");
        assertThat(refusal("{\"PidMode\":\"bogus\"}")).isEqualTo("invalid PID mode: bogus");
        assertThat(refusal("{\"UTSMode\":\"bogus\"}")).isEqualTo("invalid UTS mode: bogus");
        assertThat(refusal("{\"CgroupnsMode\":\"bogus\"}")).isEqualTo("invalid cgroup namespace mode: bogus");
        assertThat(refusal("{\"UsernsMode\":\"private\"}")).startsWith("user namespaces are not supported by Skiff yet");
        assertThat(refusal("{\"LogConfig\":{\"Type\":\"splunk\"}}")).isEqualTo("logger: no log driver named 'splunk' is registered");
        assertThat(refusal("{\"LogConfig\":{\"Type\":\"gelf\"}}")).startsWith("gelf-address is a required parameter");
        assertThat(refusal("{\"LogConfig\":{\"Type\":\"syslog\",\"Config\":{\"max-size\":\"1m\"}}}"))
                .isEqualTo("unknown log opt 'max-size' for syslog log driver");
        assertThat(refusal("{\"LogConfig\":{\"Type\":\"fluentd\",\"Config\":{\"cache-max-size\":\"lots\"}}}"))
                .startsWith("invalid log max-size lots");
        assertThat(refusal("{\"LogConfig\":{\"Type\":\"local\",\"Config\":{\"tag\":\"x\"}}}"))
                .isEqualTo("unknown log opt 'tag' for local log driver");
        assertThat(refusal("{\"Isolation\":\"hyperv\"}")).isEqualTo("Invalid isolation: \"hyperv\" - linux only supports 'default'");
        assertThat(refusal("{\"Runtime\":\"crun\"}")).isEqualTo("unknown or invalid runtime name: crun");
        assertThat(refusal("{\"ShmSize\":-1}")).isEqualTo("SHM size can not be less than 0");
        assertThat(refusal("{\"OomScoreAdj\":-1001}")).isEqualTo("Invalid value -1001, range for oom score adj is [-1000, 1000]");
        assertThat(refusal("{\"CpuPeriod\":999}")).startsWith("CPU cfs period can not be less than 1ms");
        assertThat(refusal("{\"CpuQuota\":999}")).isEqualTo("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        assertThat(refusal("{\"NanoCpus\":1000000000,\"CpuPeriod\":100000}"))
                .isEqualTo("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        assertThat(refusal("{\"NanoCpus\":3000000000}")).isEqualTo("Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available");
        assertThat(refusal("{\"CpusetCpus\":\"2\"}")).isEqualTo("Requested CPUs are not available - requested 2, available: 0-1");
        assertThat(refusal("{\"CpusetMems\":\"1-2\"}")).isEqualTo("Requested memory nodes are not available - requested 1-2, available: 0");
        assertThat(refusal("{\"CpusetCpus\":\"1-0\"}")).isEqualTo("Invalid value 1-0 for cpuset cpus: invalid format: 1-0");
        assertThat(refusal("{\"MemoryReservation\":1024}")).isEqualTo("Minimum memory reservation allowed is 6MB");
        assertThat(refusal("{\"BlkioWeight\":9}")).isEqualTo("Range of blkio weight is from 10 to 1000");
        assertThat(refusal("{\"CpuShares\":-5}")).isEqualTo("invalid CPU shares (-5): value must be a positive integer");
        assertThat(refusal("{\"Devices\":[{\"PathOnHost\":\"/dev/null\",\"PathInContainer\":\"rel\"}]}")).isEqualTo("rel is not an absolute path");
        assertThat(refusal("{\"DeviceCgroupRules\":[\"x 1:2 r\"]}")).isEqualTo("invalid device cgroup rule format: 'x 1:2 r'");
        assertThat(refusal("{\"DeviceRequests\":[{\"Driver\":\"\",\"Count\":-1,\"Capabilities\":[[\"gpu\"]]}]}"))
                .isEqualTo("could not select device driver \"\" with capabilities: [[gpu]]");
        assertThat(refusal("{\"StorageOpt\":{\"size\":\"1G\"}}"))
                .startsWith("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
        assertThat(apply("{\"StorageOpt\":{}}", V1, new ArrayList<>()).path("StorageOpt").isEmpty()).isTrue();
        assertThatThrownBy(() -> HostConfigRules.applyAtCreate(h("{\"UTSMode\":\"host\"}"), "box", V1, new ArrayList<>()))
                .hasMessage("conflicting options: hostname and the UTS mode");
        assertThatThrownBy(() -> HostConfigRules.checkDomainname(h("{\"UTSMode\":\"host\"}"), "example.com"))
                .hasMessageStartingWith("conflicting options: domain name and the UTS mode");
        HostConfigRules.checkDomainname(h("{\"UTSMode\":\"\"}"), "example.com");
    }

    @Test
    void unsupportedKnobs_areDroppedWithDockersWarnings() throws Exception {
        List<String> warnings = new ArrayList<>();
        ObjectNode h = apply("{\"BlkioWeight\":300,\"KernelMemory\":52428800,\"OomKillDisable\":true}", V1, warnings);
        assertThat(h.path("BlkioWeight").asInt()).isZero();
        assertThat(h.has("KernelMemory")).isFalse();
        assertThat(h.path("OomKillDisable").asBoolean()).isTrue();
        assertThat(warnings).containsExactly(
                "Specifying a kernel memory limit is deprecated and will be removed in a future release.",
                "OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.",
                "Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
        List<String> v2 = new ArrayList<>();
        assertThat(apply("{\"Memory\":67108864,\"OomKillDisable\":true,\"BlkioWeight\":300}", V2, v2).path("OomKillDisable").asBoolean()).isFalse();
        assertThat(v2).containsExactly("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
    }

    @Test
    void cpuLists_parseLikeDockersParseUintList() {
        BitSet b = CpuList.parse("0-2,7");
        assertThat(b.toString()).isEqualTo("{0, 1, 2, 7}");
        for (String bad : List.of("a", "1-", "-1", "1,,2", "3-1", "99999")) {
            assertThatThrownBy(() -> CpuList.parse(bad)).hasMessage("invalid format: " + bad);
        }
    }

    @Test
    void devices_becomeNodesAndRules() throws Exception {
        DeviceMappings.Resolved r = DeviceMappings.resolve(h("{\"Devices\":[{\"PathOnHost\":\"/dev/null\","
                + "\"PathInContainer\":\"/dev/mynull\",\"CgroupPermissions\":\"rw\"}],\"DeviceCgroupRules\":[\"b *:* m\"]}"));
        assertThat(r.devices()).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("/dev/mynull");
            assertThat(d.type()).isEqualTo("c");
            assertThat(d.major()).isEqualTo(1);
            assertThat(d.minor()).isEqualTo(3);
        });
        assertThat(r.rules()).containsExactly(new RuntimeSpec.DeviceRule(true, "b", null, null, "m"),
                new RuntimeSpec.DeviceRule(true, "c", 1L, 3L, "rw"));
        assertThatThrownBy(() -> DeviceMappings.resolve(h("{\"Devices\":[{\"PathOnHost\":\"/dev/skiff-none\"}]}")))
                .hasMessage("error gathering device information while adding custom device \"/dev/skiff-none\": no such file or directory");
        assertThatThrownBy(() -> DeviceMappings.resolve(h("{\"Devices\":[{\"PathOnHost\":\"/etc/hostname\"}]}")))
                .hasMessage("error gathering device information while adding custom device \"/etc/hostname\": not a device node");
    }

    @Test
    void ulimits_checkedAndAWarningWhenAboveTheDaemonsHardLimit() throws Exception {
        HostFacts host = new HostFacts(false, "0-1", "0", false, 2, java.util.Map.of("RLIMIT_NOFILE", 20000L));
        List<String> warnings = new ArrayList<>();
        ObjectNode h = ConfigMerger.normalizeHostConfig(h("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":512,\"Hard\":1024},"
                + "{\"Name\":\"core\",\"Soft\":-1,\"Hard\":-1}]}"));
        HostConfigRules.applyAtCreate(h, "", host, warnings);
        assertThat(warnings).isEmpty();
        HostConfigRules.applyAtCreate(ConfigMerger.normalizeHostConfig(
                h("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":65536,\"Hard\":65536}]}")), "", host, warnings);
        assertThat(warnings).containsExactly("ulimit nofile=65536:65536 is above the daemon's hard limit 20000, which this "
                + "host does not let it raise: the container gets at most 20000");
        assertThat(refusal("{\"Ulimits\":[{\"Name\":\"bogus\",\"Soft\":1,\"Hard\":1}]}")).isEqualTo("invalid ulimit type: bogus");
        assertThat(refusal("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":2,\"Hard\":1}]}"))
                .isEqualTo("ulimit soft limit must be less than or equal to hard limit: 2 > 1");
    }
}

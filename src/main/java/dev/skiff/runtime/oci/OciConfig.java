package dev.skiff.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * The subset of the OCI runtime config (runtime-spec 1.0.2, config.md and config-linux.md) Skiff writes.
 * Null fields are left out of the JSON (sys.Json.COMPACT), so absent means "runtime default".
 */
public record OciConfig(String ociVersion, Process process, Root root, String hostname, String domainname,
                        List<Mount> mounts, Linux linux, Map<String, String> annotations, Hooks hooks) {

    public static final String VERSION = "1.0.2";

    public record Process(Boolean terminal, User user, List<String> args, List<String> env, String cwd,
                          Capabilities capabilities, List<Rlimit> rlimits, Boolean noNewPrivileges, Integer oomScoreAdj) {
        public Process(Boolean terminal, User user, List<String> args, List<String> env, String cwd,
                       Capabilities capabilities, List<Rlimit> rlimits, Boolean noNewPrivileges) {
            this(terminal, user, args, env, cwd, capabilities, rlimits, noNewPrivileges, null);
        }

        public Process withOomScoreAdj(Integer score) {
            return new Process(terminal, user, args, env, cwd, capabilities, rlimits, noNewPrivileges, score);
        }
    }

    public record User(long uid, long gid, List<Long> additionalGids) {
    }

    public record Capabilities(List<String> bounding, List<String> effective, List<String> permitted,
                               List<String> inheritable, List<String> ambient) {
    }

    public record Rlimit(String type, long soft, long hard) {
    }

    /** createContainer hooks run inside the container's namespaces, before pivot_root (host paths still visible). */
    public record Hooks(List<Hook> createContainer) {
    }

    public record Hook(String path, List<String> args) {
    }

    public record Root(String path, Boolean readonly) {
    }

    public record Mount(String destination, String type, String source, List<String> options) {
    }

    public record Linux(List<Namespace> namespaces, List<Device> devices, Resources resources, String cgroupsPath,
                        Map<String, String> sysctl, Seccomp seccomp, List<String> maskedPaths,
                        List<String> readonlyPaths) {
    }

    public record Namespace(String type, String path) {
    }

    public record Device(String path, String type, long major, long minor, Integer fileMode, Long uid, Long gid) {
    }

    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    }

    public record Resources(List<DeviceRule> devices, Memory memory, Cpu cpu, Pids pids, BlockIO blockIO) {
    }

    public record Memory(Long limit, Long reservation, Long swap, Boolean disableOOMKiller, Long swappiness) {
        public Memory(Long limit, Long reservation, Long swap) {
            this(limit, reservation, swap, null, null);
        }
    }

    public record Cpu(Long shares, Long quota, Long period, String cpus, String mems) {
    }

    public record Pids(long limit) {
    }

    public record BlockIO(Integer weight, List<WeightDevice> weightDevice, List<ThrottleDevice> throttleReadBpsDevice,
                          List<ThrottleDevice> throttleWriteBpsDevice,
                          @com.fasterxml.jackson.annotation.JsonProperty("throttleReadIOPSDevice")
                          List<ThrottleDevice> throttleReadIOPSDevice,
                          @com.fasterxml.jackson.annotation.JsonProperty("throttleWriteIOPSDevice")
                          List<ThrottleDevice> throttleWriteIOPSDevice) {
    }

    public record ThrottleDevice(long major, long minor, long rate) {
    }

    public record WeightDevice(long major, long minor, int weight) {
    }

    public record Seccomp(String defaultAction, Integer defaultErrnoRet, List<String> architectures,
                          List<Syscall> syscalls) {
    }

    public record Syscall(List<String> names, String action, Integer errnoRet, List<SyscallArg> args) {
    }

    public record SyscallArg(int index, long value, Long valueTwo, String op) {
    }
}

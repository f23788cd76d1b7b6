package dev.skiff.runtime;

import java.util.List;
import java.util.Map;

/**
 * Everything the runtime needs to write a container's OCI config.json, in OCI terms rather than
 * Docker's: the engine translates Docker's Config and HostConfig into this.
 *
 * @param rootfs         the mounted rootfs directory (overlay merged dir)
 * @param networkNsPath  for NetworkMode.PATH: the netns file to join; otherwise null
 * @param seccompProfile a profile JSON (Docker's format) to use instead of the default; "unconfined" disables it; null = default
 * @param linux          namespaces shared or joined instead of made, devices, /dev/shm and OOM settings
 */
public record RuntimeSpec(
        Process process,
        String rootfs,
        boolean readOnlyRootfs,
        String hostname,
        String domainname,
        boolean privileged,
        List<Mount> mounts,
        Resources resources,
        NetworkMode networkMode,
        String networkNsPath,
        String seccompProfile,
        boolean noNewPrivileges,
        Map<String, String> sysctls,
        String cgroupParent,
        boolean init,
        Map<String, String> annotations,
        Linux linux) {

    /** A spec with Docker's default namespaces, devices and /dev/shm. */
    public RuntimeSpec(Process process, String rootfs, boolean readOnlyRootfs, String hostname, String domainname,
                       boolean privileged, List<Mount> mounts, Resources resources, NetworkMode networkMode,
                       String networkNsPath, String seccompProfile, boolean noNewPrivileges, Map<String, String> sysctls,
                       String cgroupParent, boolean init, Map<String, String> annotations) {
        this(process, rootfs, readOnlyRootfs, hostname, domainname, privileged, mounts, resources, networkMode,
                networkNsPath, seccompProfile, noNewPrivileges, sysctls, cgroupParent, init, annotations, Linux.DEFAULT);
    }

    public RuntimeSpec {
        linux = linux == null ? Linux.DEFAULT : linux;
    }

    /** How the container's network namespace is made. */
    public enum NetworkMode { NONE, HOST, PATH }

    /**
     * The process to run (PID 1, or an exec'd process).
     *
     * @param user "uid", "uid:gid", "name" or "name:group": resolved against the rootfs' /etc/passwd and /etc/group
     */
    public record Process(
            List<String> args,
            List<String> env,
            String cwd,
            String user,
            List<String> additionalGroups,
            boolean terminal,
            List<String> capAdd,
            List<String> capDrop,
            List<Rlimit> rlimits) {
    }

    /** A mount in OCI terms: type "bind", "tmpfs", "proc", ... with options like "ro", "rbind", "size=64m". */
    public record Mount(String destination, String type, String source, List<String> options) {
    }

    /**
     * A namespace other than the network's: a new one ({@link #PRIVATE}), the daemon's own ({@link #HOST}), or the
     * one at {@code path} (/proc/PID/ns/TYPE of another container).
     */
    public record Namespace(String path, boolean host) {
        public static final Namespace PRIVATE = new Namespace(null, false);
        public static final Namespace HOST = new Namespace(null, true);

        public static Namespace join(String path) {
            return new Namespace(path, false);
        }
    }

    /**
     * Docker's --pid, --ipc, --uts, --cgroupns, --device, --device-cgroup-rule, --oom-score-adj in OCI terms.
     *
     * @param cgroup      null: the runtime's default for the host (a new one on cgroup v2 only)
     * @param devShm      whether the runtime mounts its own /dev/shm (false for --ipc none, or when a user mount
     *                    in {@link #mounts} provides it)
     * @param oomScoreAdj null leaves the runtime's (the daemon's) score
     */
    public record Linux(Namespace pid, Namespace ipc, Namespace uts, Namespace cgroup, boolean devShm,
                        List<Device> devices, List<DeviceRule> deviceRules, Integer oomScoreAdj) {
        public static final Linux DEFAULT = new Linux(Namespace.PRIVATE, Namespace.PRIVATE, Namespace.PRIVATE, null,
                true, List.of(), List.of(), null);
    }

    /** A device node made in the container: {@code type} "c" or "b"; mode, uid and gid as on the host. */
    public record Device(String path, String type, long major, long minor, int fileMode, long uid, long gid) {
    }

    /** A device cgroup rule: {@code type} "a", "c" or "b"; null major/minor mean any ("*"); access a subset of "rwm". */
    public record DeviceRule(boolean allow, String type, Long major, Long minor, String access) {
    }

    /** A rlimit (never above the daemon's own hard limit: raising it is denied here). */
    public record Rlimit(String type, long soft, long hard) {
    }

    /**
     * Cgroup limits; 0 or null means unset.
     *
     * @param memorySwap       total of memory and swap, -1 for unlimited (Docker's meaning)
     * @param nanoCpus         CPUs in units of 1e-9 (Docker's --cpus)
     * @param memorySwappiness 0-100, or -1 to inherit the parent cgroup's (cgroup v1 only)
     * @param blkioThrottles   per-device read/write limits (--device-read-bps and the like)
     */
    public record Resources(
            long memory,
            long memorySwap,
            long memoryReservation,
            long nanoCpus,
            long cpuShares,
            long cpuPeriod,
            long cpuQuota,
            String cpusetCpus,
            String cpusetMems,
            long pidsLimit,
            long blkioWeight,
            boolean oomKillDisable,
            long memorySwappiness,
            List<BlkioThrottle> blkioThrottles) {
        public static final Resources NONE = new Resources(0, 0, 0, 0, 0, 0, 0, null, null, 0, 0);

        public Resources {
            blkioThrottles = blkioThrottles == null ? List.of() : List.copyOf(blkioThrottles);
        }

        public Resources(long memory, long memorySwap, long memoryReservation, long nanoCpus, long cpuShares,
                         long cpuPeriod, long cpuQuota, String cpusetCpus, String cpusetMems, long pidsLimit,
                         long blkioWeight) {
            this(memory, memorySwap, memoryReservation, nanoCpus, cpuShares, cpuPeriod, cpuQuota, cpusetCpus,
                    cpusetMems, pidsLimit, blkioWeight, false);
        }

        public Resources(long memory, long memorySwap, long memoryReservation, long nanoCpus, long cpuShares,
                         long cpuPeriod, long cpuQuota, String cpusetCpus, String cpusetMems, long pidsLimit,
                         long blkioWeight, boolean oomKillDisable) {
            this(memory, memorySwap, memoryReservation, nanoCpus, cpuShares, cpuPeriod, cpuQuota, cpusetCpus,
                    cpusetMems, pidsLimit, blkioWeight, oomKillDisable, -1, List.of());
        }
    }

    /**
     * A block device's I/O setting on the device {@code major:minor}: {@code rate} is bytes per second for the BPS
     * kinds, operations per second for the IOPS kinds, the relative weight (10-1000) for WEIGHT.
     */
    public record BlkioThrottle(Kind kind, long major, long minor, long rate) {
        public enum Kind { READ_BPS, WRITE_BPS, READ_IOPS, WRITE_IOPS, WEIGHT }
    }
}

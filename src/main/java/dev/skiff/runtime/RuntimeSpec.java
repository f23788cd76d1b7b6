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
        Map<String, String> annotations) {

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

    /** A rlimit (never above the daemon's own hard limit: raising it is denied here). */
    public record Rlimit(String type, long soft, long hard) {
    }

    /**
     * Cgroup limits; 0 or null means unset.
     *
     * @param memorySwap total of memory and swap, -1 for unlimited (Docker's meaning)
     * @param nanoCpus   CPUs in units of 1e-9 (Docker's --cpus)
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
            long blkioWeight) {
        public static final Resources NONE = new Resources(0, 0, 0, 0, 0, 0, 0, null, null, 0, 0);
    }
}

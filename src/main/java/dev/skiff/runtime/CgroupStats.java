package dev.skiff.runtime;

/**
 * A sample of a container's cgroup counters, in the units Docker's stats API uses.
 *
 * @param cpuTotalNanos cumulative CPU time of the container
 * @param systemCpuNanos the host's cumulative CPU time (from /proc/stat), for the percentage
 */
public record CgroupStats(long cpuTotalNanos, long systemCpuNanos, int onlineCpus, long memoryUsage,
                          long memoryLimit, long memoryCache, long pids, long pidsLimit,
                          long blkioRead, long blkioWrite) {
}

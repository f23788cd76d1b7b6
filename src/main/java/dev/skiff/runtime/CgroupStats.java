package dev.skiff.runtime;

import java.util.Map;

/**
 * A sample of a container's cgroup counters, in the units Docker's stats API uses.
 *
 * @param cpuTotalNanos cumulative CPU time of the container
 * @param systemCpuNanos the host's cumulative CPU time (from /proc/stat), for the percentage
 * @param cpu           the CPU time's split and throttling, as far as the cgroup version tells
 * @param memory        the memory controller's own accounting (memory.stat and friends)
 */
public record CgroupStats(long cpuTotalNanos, long systemCpuNanos, int onlineCpus, long memoryUsage,
                          long memoryLimit, long memoryCache, long pids, long pidsLimit,
                          long blkioRead, long blkioWrite, Cpu cpu, Memory memory) {

    /** Without the details (a runtime that keeps none). */
    public CgroupStats(long cpuTotalNanos, long systemCpuNanos, int onlineCpus, long memoryUsage, long memoryLimit,
                       long memoryCache, long pids, long pidsLimit, long blkioRead, long blkioWrite) {
        this(cpuTotalNanos, systemCpuNanos, onlineCpus, memoryUsage, memoryLimit, memoryCache, pids, pidsLimit,
                blkioRead, blkioWrite, Cpu.NONE, Memory.NONE);
    }

    /**
     * @param userNanos        time in user mode (cpuacct.stat or cpu.stat)
     * @param kernelNanos      time in the kernel
     * @param perCpuNanos      time per CPU (cgroup v1's cpuacct.usage_percpu), or null where the cgroup keeps none
     * @param periods          CFS enforcement periods that elapsed (cpu.stat nr_periods)
     * @param throttledPeriods periods in which the container was throttled
     * @param throttledNanos   time it was throttled
     */
    public record Cpu(long userNanos, long kernelNanos, long[] perCpuNanos, long periods, long throttledPeriods,
                      long throttledNanos) {
        public static final Cpu NONE = new Cpu(0, 0, null, 0, 0, 0);
    }

    /**
     * @param maxUsage the peak usage (cgroup v1's memory.max_usage_in_bytes), -1 where the cgroup keeps none
     * @param failcnt  how often the limit was hit (v1's memory.failcnt), -1 where the cgroup keeps none
     * @param stat     every row of memory.stat, in its own names (v1's "rss", "total_inactive_file"...; v2's
     *                 "anon", "inactive_file"...), as dockerd passes them on
     */
    public record Memory(long maxUsage, long failcnt, Map<String, Long> stat) {
        public static final Memory NONE = new Memory(-1, -1, Map.of());
    }
}

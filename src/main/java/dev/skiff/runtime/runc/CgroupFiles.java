package dev.skiff.runtime.runc;

import dev.skiff.runtime.CgroupStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Reads a container's cgroup counters, on cgroup v1 (one hierarchy per controller, as runc uses on a hybrid
 * host) or v2 (one unified hierarchy). The cgroup path is the config's linux.cgroupsPath.
 */
final class CgroupFiles {
    private static final Path ROOT = Path.of("/sys/fs/cgroup");
    private static final boolean V2 = Files.exists(ROOT.resolve("cgroup.controllers"));
    /** USER_HZ: /proc/stat counts in 1/100 s on every Linux that matters. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private CgroupFiles() {
    }

    /** The file of a controller in the container's cgroup, e.g. ("memory", "memory.limit_in_bytes"). */
    static Path file(String cgroupsPath, String controller, String name) {
        String rel = cgroupsPath.startsWith("/") ? cgroupsPath.substring(1) : cgroupsPath;
        return V2 ? ROOT.resolve(rel).resolve(name) : ROOT.resolve(controller).resolve(rel).resolve(name);
    }

    static boolean isV2() {
        return V2;
    }

    /**
     * Whether the cgroup is frozen or freezing (v1 freezer.state, v2 cgroup.freeze); false when the file is not
     * there (no such cgroup, or no freezer).
     */
    static boolean frozen(String cgroupsPath) {
        Path f = V2 ? file(cgroupsPath, "freezer", "cgroup.freeze") : file(cgroupsPath, "freezer", "freezer.state");
        try {
            String state = Files.readString(f).trim();
            return V2 ? state.equals("1") : state.equals("FROZEN") || state.equals("FREEZING");
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the kernel OOM-killed a process of the cgroup (memory.oom_control / memory.events). */
    static boolean oomKilled(String cgroupsPath) {
        Path f = V2 ? file(cgroupsPath, "memory", "memory.events") : file(cgroupsPath, "memory", "memory.oom_control");
        return keyed(f, "oom_kill") > 0;
    }

    static CgroupStats read(String cg) {
        int cpus = Runtime.getRuntime().availableProcessors();
        if (V2) {
            Map<String, Long> cpuStat = keyedAll(file(cg, "", "cpu.stat"));
            long cpu = cpuStat.getOrDefault("usage_usec", 0L) * 1000;
            long memMax = number(file(cg, "", "memory.max"));
            long[] io = ioV2(file(cg, "", "io.stat"));
            Map<String, Long> memStat = keyedAll(file(cg, "", "memory.stat"));
            CgroupStats.Cpu detail = new CgroupStats.Cpu(cpuStat.getOrDefault("user_usec", 0L) * 1000,
                    cpuStat.getOrDefault("system_usec", 0L) * 1000, null, cpuStat.getOrDefault("nr_periods", 0L),
                    cpuStat.getOrDefault("nr_throttled", 0L), cpuStat.getOrDefault("throttled_usec", 0L) * 1000);
            return new CgroupStats(cpu, systemCpuNanos(), cpus, number(file(cg, "", "memory.current")),
                    memMax, memStat.getOrDefault("file", 0L), number(file(cg, "", "pids.current")),
                    number(file(cg, "", "pids.max")), io[0], io[1], detail, new CgroupStats.Memory(-1, -1, memStat));
        }
        long[] io = blkioV1(file(cg, "blkio", "blkio.throttle.io_service_bytes_recursive"));
        Map<String, Long> memStat = keyedAll(file(cg, "memory", "memory.stat"));
        Map<String, Long> acct = keyedAll(file(cg, "cpuacct", "cpuacct.stat"));
        Map<String, Long> throttling = keyedAll(file(cg, "cpu", "cpu.stat"));
        CgroupStats.Cpu detail = new CgroupStats.Cpu(acct.getOrDefault("user", 0L) * NANOS_PER_TICK,
                acct.getOrDefault("system", 0L) * NANOS_PER_TICK, numbers(file(cg, "cpuacct", "cpuacct.usage_percpu")),
                throttling.getOrDefault("nr_periods", 0L), throttling.getOrDefault("nr_throttled", 0L),
                throttling.getOrDefault("throttled_time", 0L));
        CgroupStats.Memory memory = new CgroupStats.Memory(number(file(cg, "memory", "memory.max_usage_in_bytes")),
                number(file(cg, "memory", "memory.failcnt")), memStat);
        return new CgroupStats(number(file(cg, "cpuacct", "cpuacct.usage")), systemCpuNanos(), cpus,
                number(file(cg, "memory", "memory.usage_in_bytes")), number(file(cg, "memory", "memory.limit_in_bytes")),
                memStat.getOrDefault("total_cache", 0L), number(file(cg, "pids", "pids.current")),
                number(file(cg, "pids", "pids.max")), io[0], io[1], detail, memory);
    }

    /** Every "key N" row of a flat keyed file (memory.stat, cpu.stat), in file order; empty when unreadable. */
    static Map<String, Long> keyedAll(Path f) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(f)) {
                String[] kv = line.trim().split("\\s+");
                if (kv.length == 2) {
                    try {
                        out.put(kv[0], Long.parseLong(kv[1]));
                    } catch (NumberFormatException e) {
                        // a row that is no counter
                    }
                }
            }
        } catch (IOException e) {
            // no such controller file
        }
        return out;
    }

    /** A file of space-separated numbers (cpuacct.usage_percpu); null when it cannot be read. */
    static long[] numbers(Path f) {
        String s = ExecRoot.readTrimmed(f);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return java.util.Arrays.stream(s.split("\\s+")).mapToLong(Long::parseLong).toArray();
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A one-number file; "max" (unlimited) and a missing file read as 0. */
    static long number(Path f) {
        String s = ExecRoot.readTrimmed(f);
        if (s == null || s.isEmpty() || s.equals("max")) {
            return 0;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The value of "key N" in a flat keyed file, 0 when absent. */
    static long keyed(Path f, String key) {
        return keyedAll(f).getOrDefault(key, 0L);
    }

    private static long[] blkioV1(Path f) {
        long read = 0, write = 0;
        try {
            for (String line : Files.readAllLines(f)) {
                String[] p = line.trim().split("\\s+");
                if (p.length == 3 && p[1].equals("Read")) {
                    read += Long.parseLong(p[2]);
                } else if (p.length == 3 && p[1].equals("Write")) {
                    write += Long.parseLong(p[2]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no block I/O accounted
        }
        return new long[] {read, write};
    }

    private static long[] ioV2(Path f) {
        long read = 0, write = 0;
        try {
            for (String line : Files.readAllLines(f)) {
                for (String field : line.trim().split("\\s+")) {
                    if (field.startsWith("rbytes=")) {
                        read += Long.parseLong(field.substring(7));
                    } else if (field.startsWith("wbytes=")) {
                        write += Long.parseLong(field.substring(7));
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // no block I/O accounted
        }
        return new long[] {read, write};
    }

    /** The host's total CPU time from the first line of /proc/stat, in nanoseconds (Docker's system_cpu_usage). */
    static long systemCpuNanos() {
        try (var lines = Files.lines(Path.of("/proc/stat"))) {
            String cpu = lines.findFirst().orElse("");
            String[] f = cpu.trim().split("\\s+");
            long ticks = 0;
            for (int i = 1; i < Math.min(f.length, 8); i++) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks * NANOS_PER_TICK;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}

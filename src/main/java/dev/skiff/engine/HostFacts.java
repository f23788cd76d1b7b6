package dev.skiff.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What the host offers containers, for dockerd's create-time checks: read once when the engine starts.
 *
 * @param cgroupV2    whether /sys/fs/cgroup is the unified hierarchy (decides the default cgroup namespace mode)
 * @param cpus        the CPUs containers may be pinned to, kernel list format ("0-3")
 * @param mems        the memory nodes, same format
 * @param blkioWeight whether the block I/O weight knob exists (cgroup v1 needs CFQ/BFQ for it)
 * @param cpuCount    the number of online CPUs (the ceiling of --cpus)
 * @param hardRlimits RLIMIT_* name to the daemon's own hard limit (-1 unlimited): the runtime clamps ulimits to it
 */
public record HostFacts(boolean cgroupV2, String cpus, String mems, boolean blkioWeight, int cpuCount,
                        Map<String, Long> hardRlimits) {

    public HostFacts(boolean cgroupV2, String cpus, String mems, boolean blkioWeight, int cpuCount) {
        this(cgroupV2, cpus, mems, blkioWeight, cpuCount, Map.of());
    }

    private static volatile HostFacts current;

    /** The running host's, read on first use. */
    public static HostFacts current() {
        HostFacts h = current;
        if (h == null) {
            h = detect();
            current = h;
        }
        return h;
    }

    /** Reads the running host. */
    public static HostFacts detect() {
        Path cg = Path.of("/sys/fs/cgroup");
        boolean v2 = Files.exists(cg.resolve("cgroup.controllers"));
        String cpus = firstReadable("0", cg.resolve("cpuset/cpuset.effective_cpus"), cg.resolve("cpuset.cpus.effective"),
                Path.of("/sys/devices/system/cpu/online"));
        String mems = firstReadable("0", cg.resolve("cpuset/cpuset.effective_mems"), cg.resolve("cpuset.mems.effective"),
                Path.of("/sys/devices/system/node/online"));
        boolean weight = v2 ? Files.exists(cg.resolve("io.weight")) || Files.exists(cg.resolve("io.bfq.weight"))
                || childHas(cg, "io.weight") : Files.exists(cg.resolve("blkio/blkio.weight"))
                || Files.exists(cg.resolve("blkio/blkio.bfq.weight"));
        return new HostFacts(v2, cpus, mems, weight, Runtime.getRuntime().availableProcessors(),
                dev.skiff.runtime.oci.HostInfo.readHardLimits());
    }

    private static String firstReadable(String fallback, Path... candidates) {
        for (Path p : candidates) {
            try {
                String s = Files.readString(p).trim();
                if (!s.isEmpty()) {
                    return s;
                }
            } catch (IOException e) {
                // next candidate
            }
        }
        return fallback;
    }

    private static boolean childHas(Path cg, String file) {
        try (var s = Files.list(cg)) {
            return s.anyMatch(d -> Files.exists(d.resolve(file)));
        } catch (IOException e) {
            return false;
        }
    }
}

package dev.skiff.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the host allows, read once at daemon start: the config generator never asks runc for more than this
 * (a capability outside the bounding set, or a rlimit above our own hard limit, makes runc fail).
 *
 * @param boundingCaps    capability names ("CAP_CHOWN") in the daemon's bounding set
 * @param cgroupV2        whether /sys/fs/cgroup is the unified hierarchy (then a cgroup namespace is used)
 * @param swapLimit       whether the kernel accounts swap (memory.memsw / memory.swap.max exists)
 * @param blkioWeight     whether the block I/O weight file exists (needs CFQ/BFQ on cgroup v1)
 * @param kernel          "major.minor" of the running kernel, for seccomp's minKernel
 * @param hardRlimits     RLIMIT_* name to the daemon's hard limit (absent or -1 = unlimited)
 * @param initBinary      the tini binary bind-mounted for --init, or null when not installed
 * @param x32Abi          whether the kernel serves x32 system calls (seccomp filters leave that ABI out otherwise)
 */
public record HostInfo(Set<String> boundingCaps, boolean cgroupV2, boolean swapLimit, boolean blkioWeight,
                       String kernel, Map<String, Long> hardRlimits, Path initBinary, boolean x32Abi) {

    /** A host with the x32 ABI (every architecture a profile names is kept). */
    public HostInfo(Set<String> boundingCaps, boolean cgroupV2, boolean swapLimit, boolean blkioWeight,
                    String kernel, Map<String, Long> hardRlimits, Path initBinary) {
        this(boundingCaps, cgroupV2, swapLimit, blkioWeight, kernel, hardRlimits, initBinary, true);
    }

    /** /proc/self/limits row names to OCI rlimit types. */
    private static final Map<String, String> LIMIT_ROWS = Map.ofEntries(
            Map.entry("Max cpu time", "RLIMIT_CPU"), Map.entry("Max file size", "RLIMIT_FSIZE"),
            Map.entry("Max data size", "RLIMIT_DATA"), Map.entry("Max stack size", "RLIMIT_STACK"),
            Map.entry("Max core file size", "RLIMIT_CORE"), Map.entry("Max resident set", "RLIMIT_RSS"),
            Map.entry("Max processes", "RLIMIT_NPROC"), Map.entry("Max open files", "RLIMIT_NOFILE"),
            Map.entry("Max locked memory", "RLIMIT_MEMLOCK"), Map.entry("Max address space", "RLIMIT_AS"),
            Map.entry("Max file locks", "RLIMIT_LOCKS"), Map.entry("Max pending signals", "RLIMIT_SIGPENDING"),
            Map.entry("Max msgqueue size", "RLIMIT_MSGQUEUE"), Map.entry("Max nice priority", "RLIMIT_NICE"),
            Map.entry("Max realtime priority", "RLIMIT_RTPRIO"), Map.entry("Max realtime timeout", "RLIMIT_RTTIME"));

    /** Reads the running host. */
    public static HostInfo detect() {
        Path cg = Path.of("/sys/fs/cgroup");
        boolean v2 = Files.exists(cg.resolve("cgroup.controllers"));
        boolean swap = v2 ? Files.exists(cg.resolve("memory.swap.max")) || hasSwapMaxBelow(cg)
                : Files.exists(cg.resolve("memory/memory.memsw.limit_in_bytes"));
        boolean weight = v2 || Files.exists(cg.resolve("blkio/blkio.weight"));
        Path init = null;
        for (String candidate : List.of("/usr/bin/tini-static", "/usr/bin/tini", "/usr/local/bin/tini")) {
            if (Files.isExecutable(Path.of(candidate))) {
                init = Path.of(candidate);
                break;
            }
        }
        return new HostInfo(Capabilities.fromMask(readCapBnd()), v2, swap, weight, kernelVersion(),
                readHardLimits(), init, dev.skiff.sys.Syscalls.x32Abi());
    }

    private static boolean hasSwapMaxBelow(Path cg) {
        // On v2 the root has no memory.swap.max; any child that has one proves swap accounting.
        try (var s = Files.list(cg)) {
            return s.anyMatch(d -> Files.exists(d.resolve("memory.swap.max")));
        } catch (IOException e) {
            return false;
        }
    }

    private static long readCapBnd() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapBnd:")) {
                    return Long.parseUnsignedLong(line.substring(7).trim(), 16);
                }
            }
        } catch (IOException e) {
            // fall through: assume the classic full set
        }
        return (1L << 41) - 1;
    }

    private static String kernelVersion() {
        try {
            String release = Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
            String[] parts = release.split("[.-]");
            return parts[0] + "." + parts[1];
        } catch (IOException | RuntimeException e) {
            return "0.0";
        }
    }

    /** RLIMIT_* name to this process's hard limit, -1 for unlimited (read from /proc/self/limits). */
    public static Map<String, Long> readHardLimits() {
        Map<String, Long> limits = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                for (var row : LIMIT_ROWS.entrySet()) {
                    if (line.startsWith(row.getKey() + " ")) {
                        String[] cols = line.substring(row.getKey().length()).trim().split("\\s+");
                        limits.put(row.getValue(), cols[1].equals("unlimited") ? -1L : Long.parseLong(cols[1]));
                    }
                }
            }
        } catch (IOException e) {
            // no limits known: nothing is clamped
        }
        return limits;
    }

    /** Whether the running kernel is at least {@code version} ("4.8"). */
    public boolean kernelAtLeast(String version) {
        String[] have = kernel.split("\\.");
        String[] want = version.split("\\.");
        for (int i = 0; i < Math.max(have.length, want.length); i++) {
            int h = i < have.length ? Integer.parseInt(have[i]) : 0;
            int w = i < want.length ? Integer.parseInt(want[i]) : 0;
            if (h != w) {
                return h > w;
            }
        }
        return true;
    }
}

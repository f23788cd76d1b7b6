package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.format.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * docker run's resource, namespace, device and logging flags (mixed into {@link RunOptions}), with the docker
 * CLI's client-side parsing and messages (opts/ulimit.go, opts.ValidateSysctl, parseDevice, parseLoggingOpts,
 * the *Mode.Valid checks of container/opts.go). Everything else is the daemon's to check.
 */
public final class HostConfigFlags {
    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack", "as");
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");
    private static final Pattern DEVICE_CGROUP_RULE = Pattern.compile("^[acb] ([0-9]+|\\*):([0-9]+|\\*) [rwm]{1,3}$");

    @Option(names = "--ulimit", paramLabel = "ulimit", description = "Ulimit options (default [])")
    List<String> ulimits = new ArrayList<>();

    @Option(names = "--sysctl", paramLabel = "map", description = "Sysctl options (default map[])")
    List<String> sysctls = new ArrayList<>();

    @Option(names = "--group-add", paramLabel = "list", description = "Add additional groups to join")
    List<String> groupAdd = new ArrayList<>();

    @Option(names = "--cpuset-cpus", paramLabel = "string", description = "CPUs in which to allow execution (0-3, 0,1)")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", paramLabel = "string", description = "MEMs in which to allow execution (0-3, 0,1)")
    String cpusetMems;

    @Option(names = "--cpu-period", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) period")
    String cpuPeriod;

    @Option(names = "--cpu-quota", paramLabel = "int", description = "Limit CPU CFS (Completely Fair Scheduler) quota")
    String cpuQuota;

    @Option(names = "--cpu-rt-period", paramLabel = "int", description = "Limit CPU real-time period in microseconds")
    String cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime", paramLabel = "int", description = "Limit CPU real-time runtime in microseconds")
    String cpuRtRuntime;

    @Option(names = "--blkio-weight", paramLabel = "uint16", description = "Block IO (relative weight), between 10 and 1000, or 0 to disable (default 0)")
    String blkioWeight;

    @Option(names = "--blkio-weight-device", paramLabel = "list", description = "Block IO weight (relative device weight) (default [])")
    List<String> blkioWeightDevices = new ArrayList<>();

    @Option(names = "--device-read-bps", paramLabel = "list", description = "Limit read rate (bytes per second) from a device (default [])")
    List<String> deviceReadBps = new ArrayList<>();

    @Option(names = "--device-write-bps", paramLabel = "list", description = "Limit write rate (bytes per second) to a device (default [])")
    List<String> deviceWriteBps = new ArrayList<>();

    @Option(names = "--device-read-iops", paramLabel = "list", description = "Limit read rate (IO per second) from a device (default [])")
    List<String> deviceReadIops = new ArrayList<>();

    @Option(names = "--device-write-iops", paramLabel = "list", description = "Limit write rate (IO per second) to a device (default [])")
    List<String> deviceWriteIops = new ArrayList<>();

    @Option(names = "--memory-reservation", paramLabel = "bytes", description = "Memory soft limit")
    String memoryReservation;

    @Option(names = "--memory-swappiness", paramLabel = "int", description = "Tune container memory swappiness (0 to 100) (default -1)")
    String memorySwappiness;

    // deprecated: accepted and ignored, as by Docker 25 and later, and listed as the docker CLI lists it
    @Option(names = "--kernel-memory", paramLabel = "bytes", description = "Kernel memory limit")
    String kernelMemory;

    @Option(names = "--oom-kill-disable", description = "Disable OOM Killer")
    boolean oomKillDisable;

    @Option(names = "--oom-score-adj", paramLabel = "int", description = "Tune host's OOM preferences (-1000 to 1000)")
    String oomScoreAdj;

    @Option(names = "--cgroup-parent", paramLabel = "string", description = "Optional parent cgroup for the container")
    String cgroupParent;

    @Option(names = "--cgroupns", paramLabel = "string", description = "Cgroup namespace to use (host|private)\n"
            + "'host':    Run the container in the host's cgroup namespace\n"
            + "'private': Run the container in its own private cgroup namespace\n"
            + "'':        Use the cgroup namespace as configured by the\n"
            + "           default-cgroupns-mode option on the daemon (default)")
    String cgroupns;

    @Option(names = "--shm-size", paramLabel = "bytes", description = "Size of /dev/shm")
    String shmSize;

    @Option(names = "--ipc", paramLabel = "string", description = "IPC mode to use")
    String ipc;

    @Option(names = "--pid", paramLabel = "string", description = "PID namespace to use")
    String pid;

    @Option(names = "--uts", paramLabel = "string", description = "UTS namespace to use")
    String uts;

    @Option(names = "--userns", paramLabel = "string", description = "User namespace to use")
    String userns;

    @Option(names = "--device", paramLabel = "list", description = "Add a host device to the container")
    List<String> devices = new ArrayList<>();

    @Option(names = "--device-cgroup-rule", paramLabel = "list", description = "Add a rule to the cgroup allowed devices list")
    List<String> deviceCgroupRules = new ArrayList<>();

    @Option(names = "--log-driver", paramLabel = "string", description = "Logging driver for the container")
    String logDriver;

    @Option(names = "--log-opt", paramLabel = "list", description = "Log driver options")
    List<String> logOpts = new ArrayList<>();

    @Option(names = "--isolation", paramLabel = "string", description = "Container isolation technology")
    String isolation;

    @Option(names = "--domainname", paramLabel = "string", description = "Container NIS domain name")
    String domainname;

    /** Config.Domainname. */
    String domainname() {
        return domainname == null ? "" : domainname;
    }

    /** Adds these flags' HostConfig fields, as the docker CLI fills them. */
    void addTo(Map<String, Object> h) {
        String ipcMode = ipc == null ? "" : ipc; // the docker CLI leaves --ipc to the daemon to check
        String pidMode = mode("--pid", pid, "PID", m -> m.isEmpty() || m.equals("host") || containerRef(m));
        String utsMode = mode("--uts", uts, "UTS", m -> m.isEmpty() || m.equals("host"));
        String usernsMode = mode("--userns", userns, "USER", m -> m.isEmpty() || m.equals("host"));
        String cgroupnsMode = mode("--cgroupns", cgroupns, "CGROUP", m -> List.of("", "host", "private").contains(m));
        // --uts host with --hostname is the daemon's to refuse, as with the docker CLI
        if ("none".equals(logDriver) && !logOpts.isEmpty()) {
            throw CliFailure.invalid("invalid logging opts for driver none");
        }
        h.put("GroupAdd", groupAdd.isEmpty() ? null : List.copyOf(groupAdd));
        h.put("IpcMode", ipcMode);
        h.put("PidMode", pidMode);
        h.put("UTSMode", utsMode);
        h.put("UsernsMode", usernsMode);
        h.put("CgroupnsMode", cgroupnsMode);
        h.put("ShmSize", shmSize == null ? 0L : bytes("--shm-size", shmSize));
        h.put("Sysctls", sysctls());
        h.put("Isolation", isolation == null ? "" : isolation);
        h.put("OomScoreAdj", oomScoreAdj == null ? 0 : (int) integer("--oom-score-adj", oomScoreAdj, "strconv.ParseInt"));
        h.put("CgroupParent", cgroupParent == null ? "" : cgroupParent);
        h.put("BlkioWeight", blkioWeight == null ? 0 : blkioWeight());
        h.put("CpuPeriod", cpuPeriod == null ? 0L : integer("--cpu-period", cpuPeriod, "strconv.ParseInt"));
        h.put("CpuQuota", cpuQuota == null ? 0L : integer("--cpu-quota", cpuQuota, "strconv.ParseInt"));
        h.put("CpuRealtimePeriod", cpuRtPeriod == null ? 0L : integer("--cpu-rt-period", cpuRtPeriod, "strconv.ParseInt"));
        h.put("CpuRealtimeRuntime", cpuRtRuntime == null ? 0L : integer("--cpu-rt-runtime", cpuRtRuntime, "strconv.ParseInt"));
        h.put("CpusetCpus", cpusetCpus == null ? "" : cpusetCpus);
        h.put("CpusetMems", cpusetMems == null ? "" : cpusetMems);
        h.put("Devices", devices());
        h.put("BlkioWeightDevice", BlkioDeviceFlags.weights("--blkio-weight-device", blkioWeightDevices));
        h.put("BlkioDeviceReadBps", BlkioDeviceFlags.bps("--device-read-bps", deviceReadBps));
        h.put("BlkioDeviceWriteBps", BlkioDeviceFlags.bps("--device-write-bps", deviceWriteBps));
        h.put("BlkioDeviceReadIOps", BlkioDeviceFlags.iops("--device-read-iops", deviceReadIops));
        h.put("BlkioDeviceWriteIOps", BlkioDeviceFlags.iops("--device-write-iops", deviceWriteIops));
        h.put("DeviceCgroupRules", deviceCgroupRules());
        if (kernelMemory != null) {
            bytes("--kernel-memory", kernelMemory); // checked like docker, then dropped: Docker 25+ ignores it
        }
        h.put("MemoryReservation", memoryReservation == null ? 0L : bytes("--memory-reservation", memoryReservation));
        if (memorySwappiness != null) {
            long s = integer("--memory-swappiness", memorySwappiness, "strconv.ParseInt");
            if (s != -1 && (s < 0 || s > 100)) {
                throw CliFailure.invalid("invalid value: " + s + ". Valid memory swappiness range is 0-100");
            }
            h.put("MemorySwappiness", s);
        }
        h.put("OomKillDisable", oomKillDisable);
        h.put("Ulimits", ulimits());
        Map<String, Object> log = new LinkedHashMap<>();
        log.put("Type", logDriver == null ? "" : logDriver);
        log.put("Config", logOpts());
        h.put("LogConfig", log);
    }

    private static boolean containerRef(String m) {
        return m.startsWith("container:") && m.length() > "container:".length();
    }

    private static String mode(String flag, String value, String what, java.util.function.Predicate<String> valid) {
        String v = value == null ? "" : value;
        if (!valid.test(v)) {
            throw CliFailure.invalid(flag + ": invalid " + what + " mode");
        }
        return v;
    }

    /** opts.UlimitOpt (go-units ParseUlimit): name=soft[:hard], hard defaults to soft. */
    List<Map<String, Object>> ulimits() {
        if (ulimits.isEmpty()) {
            return null;
        }
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        for (String u : ulimits) {
            try {
                Map<String, Object> parsed = parseUlimit(u);
                byName.put((String) parsed.get("Name"), parsed);
            } catch (IllegalArgumentException e) {
                throw CliFailure.usage("invalid argument \"" + u + "\" for \"--ulimit\" flag: " + e.getMessage());
            }
        }
        return List.copyOf(byName.values());
    }

    /** One --ulimit value as the API's {Name, Hard, Soft}; IllegalArgumentException with the CLI's words. */
    public static Map<String, Object> parseUlimit(String value) {
        String[] parts = value.split("=", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("invalid ulimit argument: " + value);
        }
        if (!ULIMITS.contains(parts[0])) {
            throw new IllegalArgumentException("invalid ulimit type: " + parts[0]);
        }
        String[] limits = parts[1].split(":", -1);
        if (limits.length > 2) {
            throw new IllegalArgumentException("too many limit value arguments - " + parts[1]
                    + ", can only have up to two, `soft[:hard]`");
        }
        long soft = parseInt(limits[0]);
        long hard = limits.length == 2 ? parseInt(limits[1]) : soft;
        if (hard != -1 && soft > hard) {
            throw new IllegalArgumentException("ulimit soft limit must be less than or equal to hard limit: " + soft
                    + " > " + hard);
        }
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("Name", parts[0]);
        u.put("Hard", hard);
        u.put("Soft", soft);
        return u;
    }

    private static long parseInt(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing \"" + s + "\": invalid syntax");
        }
    }

    /** opts.ValidateSysctl: namespaced sysctls only. */
    private Map<String, String> sysctls() {
        if (sysctls.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : sysctls) {
            String[] kv = s.split("=", 2);
            boolean allowed = kv.length == 2 && (IPC_SYSCTLS.contains(kv[0]) || kv[0].startsWith("net.")
                    || kv[0].startsWith("fs.mqueue."));
            if (!allowed) {
                throw CliFailure.usage("invalid argument \"" + s + "\" for \"--sysctl\" flag: sysctl '" + s + "' is not allowed");
            }
            out.put(kv[0], kv[1]);
        }
        return out;
    }

    /** parseLinuxDevice plus validateLinuxPath: /dev/x[:/dev/y][:rwm]. */
    private List<Map<String, Object>> devices() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String d : devices) {
            try {
                out.add(parseDevice(d));
            } catch (IllegalArgumentException e) {
                throw CliFailure.invalid(e.getMessage());
            }
        }
        return out;
    }

    static Map<String, Object> parseDevice(String value) {
        if (value.chars().filter(c -> c == ':').count() > 2 || value.startsWith(":") || value.isEmpty()) {
            throw new IllegalArgumentException("bad format for path: " + value);
        }
        String[] arr = value.split(":", -1);
        String src = arr[0];
        String dst = "";
        String perms = "rwm";
        if (arr.length == 3) {
            if (!validDeviceMode(arr[2])) {
                throw new IllegalArgumentException("bad mode specified: " + arr[2]);
            }
            dst = arr[1];
            perms = arr[2];
        } else if (arr.length == 2) {
            if (validDeviceMode(arr[1])) {
                perms = arr[1];
            } else {
                dst = arr[1];
            }
        }
        if (dst.isEmpty()) {
            dst = src;
        }
        if (!dst.startsWith("/")) {
            throw new IllegalArgumentException(dst + " is not an absolute path");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("PathOnHost", src);
        m.put("PathInContainer", dst);
        m.put("CgroupPermissions", perms);
        return m;
    }

    private static boolean validDeviceMode(String mode) {
        return !mode.isEmpty() && mode.length() <= 3 && mode.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm')
                && mode.chars().distinct().count() == mode.length();
    }

    private List<String> deviceCgroupRules() {
        for (String r : deviceCgroupRules) {
            if (!DEVICE_CGROUP_RULE.matcher(r).matches()) {
                throw CliFailure.usage("invalid argument \"" + r + "\" for \"--device-cgroup-rule\" flag: "
                        + "invalid device cgroup format '" + r + "'");
            }
        }
        return deviceCgroupRules.isEmpty() ? null : List.copyOf(deviceCgroupRules);
    }

    private Map<String, String> logOpts() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String o : logOpts) {
            String[] kv = o.split("=", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return out;
    }

    private int blkioWeight() {
        try {
            int w = Integer.parseInt(blkioWeight);
            if (w < 0 || w > 65535) {
                throw new NumberFormatException();
            }
            return w;
        } catch (NumberFormatException e) {
            String why = blkioWeight.chars().allMatch(Character::isDigit) && !blkioWeight.isEmpty()
                    ? "value out of range" : "invalid syntax";
            throw CliFailure.usage("invalid argument \"" + blkioWeight + "\" for \"--blkio-weight\" flag: "
                    + "strconv.ParseUint: parsing \"" + blkioWeight + "\": " + why);
        }
    }

    private static long integer(String flag, String value, String parser) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw CliFailure.usage("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + parser
                    + ": parsing \"" + value + "\": invalid syntax");
        }
    }

    private static long bytes(String flag, String value) {
        try {
            return Units.ramInBytes(value);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }
}

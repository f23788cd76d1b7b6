package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.logging.LogDrivers;
import dev.skiff.errors.InvalidArgumentException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * dockerd's create-time checks of the HostConfig fields beyond the basics ({@link ConfigMerger#normalizeHostConfig}):
 * namespace modes, sysctls, devices, OOM settings, CPU and memory knobs, the log driver. Errors and warnings use
 * dockerd's words (daemon_unix.go verifyPlatformContainerSettings/Resources, runconfig, logger.ValidateLogOpts).
 */
final class HostConfigRules {
    /** Docker's default /dev/shm size (64 MiB). */
    static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;

    /** The sysctls an IPC namespace holds, as Docker lists them (plus fs.mqueue.*). */
    private static final Set<String> IPC_SYSCTLS = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
            "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    static final Pattern DEVICE_CGROUP_RULE = Pattern.compile("^([acb]) ([0-9]+|\\*):([0-9]+|\\*) ([rwm]{1,3})$");

    private static final Set<String> JSON_FILE_OPTS = Set.of("max-file", "max-size", "compress", "labels",
            "labels-regex", "env", "env-regex", "tag");
    private static final Set<String> LOCAL_OPTS = Set.of("max-file", "max-size", "compress");
    private static final Set<String> GENERIC_LOG_OPTS = Set.of("mode", "max-buffer-size");
    /** The prefix of a network, IPC or PID mode that joins another container's namespace. */
    private static final String CONTAINER_MODE = "container:";

    private HostConfigRules() {
    }

    /**
     * A domain name is set in the container's own UTS namespace: with the host's, dockerd fails at start with runc's
     * "sysctl kernel.domainname is not in a separate kernel namespace"; refused at create here, saying why.
     */
    static void checkDomainname(ObjectNode h, String domainname) {
        if (ConfigMerger.text(h, "UTSMode").equals("host") && !domainname.isEmpty()) {
            throw new InvalidArgumentException("conflicting options: domain name and the UTS mode: --domainname needs the "
                    + "container's own UTS namespace (leave out --uts host)");
        }
    }

    /**
     * Checks {@code h} and fills the defaults dockerd stores at create (IpcMode, CgroupnsMode, ShmSize).
     *
     * @param hostname Config.Hostname as the client sent it
     * @param warnings where the create response's warnings go
     */
    static void applyAtCreate(ObjectNode h, String hostname, HostFacts host, List<String> warnings) {
        joinedNetworkConflicts(h, hostname);
        namespaces(h, host);
        ulimits(h, host, warnings);
        if (ConfigMerger.text(h, "UTSMode").equals("host") && !hostname.isEmpty()) {
            throw new InvalidArgumentException("conflicting options: hostname and the UTS mode");
        }
        sysctls(h);
        dev.skiff.runtime.oci.Capabilities.check(ConfigMerger.strings(h.get("CapAdd")), "CapAdd");
        dev.skiff.runtime.oci.Capabilities.check(ConfigMerger.strings(h.get("CapDrop")), "CapDrop");
        devices(h);
        logConfig(h);
        checkResources(h, host, warnings, false);
        String runtime = ConfigMerger.text(h, "Runtime");
        if (!runtime.isEmpty() && !runtime.equals("runc") && !runtime.equals("io.containerd.runc.v2")) {
            // dockerd's words; Skiff drives runc alone (see docker info's Runtimes)
            throw new InvalidArgumentException("unknown or invalid runtime name: " + runtime);
        }
        String isolation = ConfigMerger.text(h, "Isolation");
        if (!isolation.isEmpty() && !isolation.equals("default")) {
            throw new InvalidArgumentException("Invalid isolation: \"" + isolation + "\" - linux only supports 'default'");
        }
        for (com.fasterxml.jackson.databind.JsonNode request : h.path("DeviceRequests")) {
            // --gpus: dockerd answers so when no device driver (nvidia's) is installed; Skiff has none
            List<String> sets = new java.util.ArrayList<>();
            request.path("Capabilities").forEach(set -> {
                List<String> caps = new java.util.ArrayList<>();
                set.forEach(c -> caps.add(c.asText()));
                sets.add("[" + String.join(" ", caps) + "]");
            });
            throw new InvalidArgumentException("could not select device driver \"" + request.path("Driver").asText("")
                    + "\" with capabilities: [" + String.join(" ", sets) + "]");
        }
        if (h.path("StorageOpt").isObject() && !h.path("StorageOpt").isEmpty()) {
            // dockerd's overlay2 takes a size only over xfs with project quotas, and says so; Skiff sets no quotas,
            // and a limit silently not applied is worse than a refusal
            throw new InvalidArgumentException("--storage-opt is supported only for overlay over xfs with 'pquota' mount"
                    + " option (Skiff sets no per-container size limits; leave out --storage-opt)");
        }
        long shm = h.path("ShmSize").asLong(0);
        if (shm < 0) {
            throw new InvalidArgumentException("SHM size can not be less than 0");
        }
        h.put("ShmSize", shm == 0 ? DEFAULT_SHM_SIZE : shm);
        int oomScoreAdj = h.path("OomScoreAdj").asInt(0);
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            throw new InvalidArgumentException("Invalid value " + oomScoreAdj + ", range for oom score adj is [-1000, 1000]");
        }
    }

    private static void namespaces(ObjectNode h, HostFacts host) {
        String ipc = ConfigMerger.text(h, "IpcMode");
        if (ipc.isEmpty()) {
            // dockerd's default-ipc-mode since 20.10; --ipc container:X needs X started with --ipc shareable
            h.put("IpcMode", "private");
        } else if (!List.of("private", "shareable", "host", "none").contains(ipc) && !isContainerRef(ipc)) {
            throw new InvalidArgumentException("invalid IPC mode: " + ipc);
        }
        String pid = ConfigMerger.text(h, "PidMode");
        if (!pid.isEmpty() && !pid.equals("host") && !isContainerRef(pid)) {
            throw new InvalidArgumentException("invalid PID mode: " + pid);
        }
        String uts = ConfigMerger.text(h, "UTSMode");
        if (!uts.isEmpty() && !uts.equals("host")) {
            throw new InvalidArgumentException("invalid UTS mode: " + uts);
        }
        String cgroupns = ConfigMerger.text(h, "CgroupnsMode");
        if (cgroupns.isEmpty()) {
            h.put("CgroupnsMode", host.cgroupV2() ? "private" : "host");
        } else if (!cgroupns.equals("private") && !cgroupns.equals("host")) {
            throw new InvalidArgumentException("invalid cgroup namespace mode: " + cgroupns);
        }
        String userns = ConfigMerger.text(h, "UsernsMode");
        if (!userns.isEmpty() && !userns.equals("host")) {
            throw new InvalidArgumentException("user namespaces are not supported by Skiff yet: UsernsMode " + userns
                    + " (leave --userns unset, or use --userns host)");
        }
    }

    private static final Set<String> ULIMITS = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack", "as");

    /** Known names, soft within hard; a hard limit above the daemon's own is clamped at start: say so now. */
    static void ulimits(ObjectNode h, HostFacts host, List<String> warnings) {
        for (JsonNode u : h.path("Ulimits")) {
            String name = u.path("Name").asText("");
            long soft = u.path("Soft").asLong(0);
            long hard = u.path("Hard").asLong(0);
            if (!ULIMITS.contains(name)) {
                throw new InvalidArgumentException("invalid ulimit type: " + name);
            }
            if (hard != -1 && soft > hard) {
                throw new InvalidArgumentException("ulimit soft limit must be less than or equal to hard limit: " + soft
                        + " > " + hard);
            }
            long max = host.hardRlimits().getOrDefault("RLIMIT_" + name.toUpperCase(java.util.Locale.ROOT), -1L);
            if (max >= 0 && (hard < 0 || hard > max)) {
                warnings.add("ulimit " + name + "=" + soft + ":" + hard + " is above the daemon's hard limit " + max
                        + ", which this host does not let it raise: the container gets at most " + max);
            }
        }
    }

    /**
     * What a container that joins another's network cannot have of its own, in dockerd's words
     * (validateNetContainerMode): its name, name servers and host entries are the other container's.
     */
    private static void joinedNetworkConflicts(ObjectNode h, String hostname) {
        if (!ConfigMerger.text(h, "NetworkMode").startsWith(CONTAINER_MODE)) {
            return;
        }
        if (!hostname.isEmpty()) {
            throw new InvalidArgumentException("conflicting options: hostname and the network mode"
                    + " (the container takes the hostname of the container whose network it joins)");
        }
        if (!ConfigMerger.strings(h.get("Dns")).isEmpty()) {
            throw new InvalidArgumentException("conflicting options: dns and the network mode"
                    + " (set --dns on the container whose network this one joins)");
        }
        if (!ConfigMerger.strings(h.get("ExtraHosts")).isEmpty()) {
            throw new InvalidArgumentException("conflicting options: custom host-to-IP mapping and the network mode"
                    + " (set --add-host on the container whose network this one joins)");
        }
    }

    /** "container:NAME" with a non-empty name. */
    static boolean isContainerRef(String mode) {
        return mode.startsWith(CONTAINER_MODE) && mode.length() > CONTAINER_MODE.length();
    }

    /** The container a "container:NAME" mode (network, IPC, PID) joins, or null for any other mode. */
    static String joinedContainer(String mode) {
        return mode.startsWith(CONTAINER_MODE) ? mode.substring(CONTAINER_MODE.length()) : null;
    }

    /** Only namespaced sysctls, and only when the container has the namespace that holds them (runc's rules). */
    static void sysctls(ObjectNode h) {
        JsonNode s = h.path("Sysctls");
        if (!s.isObject()) {
            return;
        }
        boolean hostIpc = ConfigMerger.text(h, "IpcMode").equals("host");
        boolean hostNet = ConfigMerger.text(h, "NetworkMode").equals("host");
        for (String key : (Iterable<String>) s::fieldNames) {
            if (IPC_SYSCTLS.contains(key) || key.startsWith("fs.mqueue.")) {
                if (hostIpc) {
                    throw new InvalidArgumentException("sysctl \"" + key + "\" is not allowed in the hosts ipc namespace");
                }
            } else if (key.startsWith("net.")) {
                if (hostNet) {
                    throw new InvalidArgumentException("sysctl \"" + key + "\" is not allowed in the hosts network namespace");
                }
            } else {
                throw new InvalidArgumentException("sysctl \"" + key + "\" is not in a separate kernel namespace "
                        + "(only net.*, fs.mqueue.* and the IPC sysctls kernel.msg*, kernel.sem, kernel.shm* can be set)");
            }
        }
    }

    private static void devices(ObjectNode h) {
        for (JsonNode d : h.path("Devices")) {
            String inContainer = d.path("PathInContainer").asText("");
            String onHost = d.path("PathOnHost").asText("");
            if (onHost.isEmpty()) {
                throw new InvalidArgumentException("invalid device mapping: PathOnHost is empty");
            }
            if (!inContainer.isEmpty() && !inContainer.startsWith("/")) {
                throw new InvalidArgumentException(inContainer + " is not an absolute path");
            }
            String perms = d.path("CgroupPermissions").asText("");
            if (!perms.isEmpty() && !validDeviceMode(perms)) {
                throw new InvalidArgumentException("bad mode specified: " + perms);
            }
        }
        for (String rule : ConfigMerger.strings(h.get("DeviceCgroupRules"))) {
            if (!DEVICE_CGROUP_RULE.matcher(rule).matches()) {
                throw new InvalidArgumentException("invalid device cgroup rule format: '" + rule + "'");
            }
        }
    }

    /** One to three of r, w, m, each at most once. */
    static boolean validDeviceMode(String mode) {
        return !mode.isEmpty() && mode.length() <= 3 && mode.chars().allMatch(c -> c == 'r' || c == 'w' || c == 'm')
                && mode.chars().distinct().count() == mode.length();
    }

    /**
     * json-file, local and none (Skiff writes one log format, so json-file and local share it), and the drivers that
     * ship lines away, checked as dockerd checks them.
     */
    /** The daemon's default log driver and options, checked as a container's would be (a daemon start refuses them). */
    static void checkDefaultLogConfig(String driver, java.util.Map<String, String> opts) {
        ObjectNode h = dev.skiff.sys.Json.MAPPER.createObjectNode();
        ObjectNode lc = h.putObject("LogConfig");
        lc.put("Type", driver);
        ObjectNode cfg = lc.putObject("Config");
        opts.forEach(cfg::put);
        logConfig(h);
    }

    private static void logConfig(ObjectNode h) {
        String type = ConfigMerger.text(h.path("LogConfig"), "Type");
        JsonNode cfg = h.path("LogConfig").path("Config");
        if (LogDrivers.ships(type)) {
            java.util.Map<String, String> opts = new java.util.LinkedHashMap<>();
            if (cfg.isObject()) {
                cfg.properties().forEach(e -> opts.put(e.getKey(), e.getValue().asText()));
            }
            LogDrivers.validate(type, opts);
            LogConfig.of(h, null); // cache-max-size and cache-max-file
            checkMode(cfg);
            return;
        }
        Set<String> allowed = switch (type) {
            case "none" -> null;
            case "json-file" -> JSON_FILE_OPTS;
            case "local" -> LOCAL_OPTS;
            default -> throw new InvalidArgumentException("logger: no log driver named '" + type + "' is registered");
        };
        if (allowed == null || !cfg.isObject()) {
            return;
        }
        for (String key : (Iterable<String>) cfg::fieldNames) {
            if (!allowed.contains(key) && !GENERIC_LOG_OPTS.contains(key)) {
                throw new InvalidArgumentException("unknown log opt '" + key + "' for " + type + " log driver");
            }
        }
        checkMode(cfg);
    }

    private static void checkMode(JsonNode cfg) {
        String mode = cfg.path("mode").asText("");
        if (!mode.isEmpty() && !mode.equals("blocking") && !mode.equals("non-blocking")) {
            throw new InvalidArgumentException("logger: logging mode not supported: " + mode);
        }
    }

    /**
     * The resource checks of create and update. Knobs this host lacks are dropped with dockerd's warning.
     *
     * @param update docker update: fields left out keep their value, so pairs are checked only when both are set
     */
    /** CFS period and quota within the kernel's bounds, in dockerd's words. */
    static void checkCpuPeriodAndQuota(long period, long quota) {
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw new InvalidArgumentException("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw new InvalidArgumentException("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
    }

    static void checkResources(ObjectNode h, HostFacts host, List<String> warnings, boolean update) {
        long memory = h.path("Memory").asLong(0);
        long reservation = h.path("MemoryReservation").asLong(0);
        if (reservation > 0 && reservation < ConfigMerger.MIN_MEMORY) {
            throw new InvalidArgumentException("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw new InvalidArgumentException("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        if (h.path("KernelMemory").asLong(0) != 0) {
            // cgroup v2 has no kernel memory limit and v1's is deprecated since Linux 5.4: ignored, as dockerd 25+ does
            warnings.add("Specifying a kernel memory limit is deprecated and will be removed in a future release.");
            h.remove("KernelMemory");
        }
        if (h.path("OomKillDisable").asBoolean(false)) {
            if (host.cgroupV2()) {
                warnings.add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
                h.put("OomKillDisable", false);
            } else if (memory == 0) {
                warnings.add("OOM killer is disabled for the container, but no memory limit is set, this can result in "
                        + "the system running out of resources.");
            }
        }
        JsonNode swappiness = h.get("MemorySwappiness");
        if (swappiness != null && swappiness.isNumber() && swappiness.asLong() != -1
                && (swappiness.asLong() < 0 || swappiness.asLong() > 100)) {
            throw new InvalidArgumentException("Invalid value: " + swappiness.asLong() + ", valid memory swappiness range is 0-100");
        }
        if (swappiness != null && swappiness.isNumber() && swappiness.asLong() != -1 && host.cgroupV2()) {
            warnings.add("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. "
                    + "Memory swappiness discarded.");
            h.put("MemorySwappiness", -1);
        }
        BlkioThrottles.check(h, host.blkioWeight(), warnings);
        long nanoCpus = h.path("NanoCpus").asLong(0);
        long period = h.path("CpuPeriod").asLong(0);
        long quota = h.path("CpuQuota").asLong(0);
        if (nanoCpus > 0 && period > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && quota > 0) {
            throw new InvalidArgumentException("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        if (nanoCpus < 0 || nanoCpus > host.cpuCount() * 1_000_000_000L) {
            throw new InvalidArgumentException("Range of CPUs is from 0.01 to " + host.cpuCount() + ".00, as there are only "
                    + host.cpuCount() + " CPUs available");
        }
        checkCpuPeriodAndQuota(period, quota);
        long shares = h.path("CpuShares").asLong(0);
        if (shares < 0) {
            // today's dockerd's check and words; a negative value reached the record but not the cgroup
            throw new InvalidArgumentException("invalid CPU shares (" + shares + "): value must be a positive integer");
        }
        cpuset(h, "CpusetCpus", "cpus", host.cpus(), "Requested CPUs are not available");
        cpuset(h, "CpusetMems", "mems", host.mems(), "Requested memory nodes are not available");
        long weight = h.path("BlkioWeight").asLong(0);
        if (weight != 0 && (weight < 10 || weight > 1000)) {
            throw new InvalidArgumentException("Range of blkio weight is from 10 to 1000");
        }
        if (weight > 0 && !host.blkioWeight()) {
            warnings.add("Your kernel does not support Block I/O weight or the cgroup is not mounted. Weight discarded.");
            h.put("BlkioWeight", 0);
        }
        if (h.path("CpuRealtimePeriod").asLong(0) != 0 || h.path("CpuRealtimeRuntime").asLong(0) != 0) {
            throw new InvalidArgumentException("Your kernel does not support CPU real-time scheduler");
        }
    }

    private static void cpuset(ObjectNode h, String field, String what, String available, String missing) {
        String wanted = ConfigMerger.text(h, field);
        if (wanted.isEmpty()) {
            return;
        }
        java.util.BitSet want;
        try {
            want = CpuList.parse(wanted);
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("Invalid value " + wanted + " for cpuset " + what + ": " + e.getMessage());
        }
        java.util.BitSet have = CpuList.parse(available);
        java.util.BitSet extra = (java.util.BitSet) want.clone();
        extra.andNot(have);
        if (!extra.isEmpty()) {
            throw new InvalidArgumentException(missing + " - requested " + wanted + ", available: " + available);
        }
    }
}

package dev.skiff.runtime.oci;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.RuntimeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Turns a {@link RuntimeSpec} into an OCI config.json with Docker's defaults: what {@code docker run} would
 * hand runc for the same flags, limited to what this host allows ({@link HostInfo}).
 */
public final class OciSpecGenerator {
    /** Where --init's binary appears in the container, as in Docker. */
    public static final String INIT_PATH = "/sbin/docker-init";

    private final HostInfo host;
    private final String defaultCgroupParent;

    /** @param defaultCgroupParent cgroup parent when the spec names none, e.g. "/skiff" */
    public OciSpecGenerator(HostInfo host, String defaultCgroupParent) {
        this.host = host;
        this.defaultCgroupParent = defaultCgroupParent;
    }

    public OciConfig generate(String containerId, RuntimeSpec spec) {
        boolean privileged = spec.privileged();
        RuntimeSpec.Linux lx = spec.linux();
        List<String> caps = Capabilities.effective(spec.process().capAdd(), spec.process().capDrop(), privileged,
                host.boundingCaps());
        OciConfig.Process process = process(spec.process(), Path.of(spec.rootfs()), caps, spec.noNewPrivileges(),
                spec.hostname());
        List<OciConfig.Mount> mounts = new ArrayList<>(DockerDefaults.mounts(privileged));
        if (!lx.devShm()) {
            mounts.removeIf(m -> m.destination().equals("/dev/shm"));
        }
        if (spec.init()) {
            process = withInit(process);
            mounts.add(new OciConfig.Mount(INIT_PATH, "bind", host.initBinary().toString(), List.of("bind", "ro")));
        }
        if (lx.oomScoreAdj() != null) {
            process = process.withOomScoreAdj(lx.oomScoreAdj());
        }
        for (RuntimeSpec.Mount m : spec.mounts() == null ? List.<RuntimeSpec.Mount>of() : spec.mounts()) {
            // A user mount over a default one (e.g. a bigger /dev/shm) replaces it, as in Docker.
            mounts.removeIf(d -> d.destination().equals(m.destination()));
            mounts.add(new OciConfig.Mount(m.destination(), m.type(), m.source(), m.options()));
        }
        // In the host's UTS namespace runc may not set a name: the host's stays, as with Docker's --uts host.
        boolean ownUts = !lx.uts().host();
        OciConfig.Linux linux = new OciConfig.Linux(namespaces(spec),
                devices(lx, privileged),
                resources(spec.resources(), privileged, deviceRules(lx, privileged)),
                cgroupsPath(containerId, spec.cgroupParent()),
                sysctls(spec, ownUts),
                seccomp(spec, caps),
                privileged ? null : DockerDefaults.MASKED_PATHS,
                privileged ? null : DockerDefaults.READONLY_PATHS);
        return new OciConfig(OciConfig.VERSION, process, new OciConfig.Root(spec.rootfs(), spec.readOnlyRootfs()),
                ownUts ? blankToNull(spec.hostname()) : null, null, mounts, linux,
                spec.annotations() == null || spec.annotations().isEmpty() ? null : spec.annotations(),
                null);
    }

    /**
     * The spec's sysctls, plus the NIS domain name as kernel.domainname: runc 1.1 has no domainname field, so
     * Docker sets it this way (setLinuxDomainname), which needs the container's own UTS namespace.
     */
    private static java.util.Map<String, String> sysctls(RuntimeSpec spec, boolean ownUts) {
        java.util.Map<String, String> out = new LinkedHashMap<>(spec.sysctls() == null ? java.util.Map.of() : spec.sysctls());
        if (ownUts && notBlank(spec.domainname())) {
            out.put("kernel.domainname", spec.domainname());
        }
        return out.isEmpty() ? null : out;
    }

    /** --privileged passes every host device; otherwise the --device nodes, made by runc with the host's mode. */
    private static List<OciConfig.Device> devices(RuntimeSpec.Linux lx, boolean privileged) {
        List<OciConfig.Device> out = new ArrayList<>(privileged ? DockerDefaults.hostDevices() : List.of());
        for (RuntimeSpec.Device d : lx.devices()) {
            out.removeIf(o -> o.path().equals(d.path()));
            out.add(new OciConfig.Device(d.path(), d.type(), d.major(), d.minor(), d.fileMode(), d.uid(), d.gid()));
        }
        return out.isEmpty() ? null : out;
    }

    /** The rules after Docker's defaults: --device-cgroup-rule and each --device's permissions (privileged: all allowed). */
    private static List<OciConfig.DeviceRule> deviceRules(RuntimeSpec.Linux lx, boolean privileged) {
        if (privileged) {
            return List.of();
        }
        return lx.deviceRules().stream()
                .map(r -> new OciConfig.DeviceRule(r.allow(), r.type(), r.major(), r.minor(), r.access())).toList();
    }

    /**
     * The process part alone: PID 1's, or an exec'd process's (runc exec --process). User names are resolved
     * against {@code rootfs}; HOME and PATH get Docker's defaults when the env lacks them.
     */
    public OciConfig.Process process(RuntimeSpec.Process p, Path rootfs, List<String> caps, boolean noNewPrivileges,
                                     String hostname) {
        if (p.args() == null || p.args().isEmpty()) {
            throw new InvalidArgumentException("no command specified for the container (give one, or set CMD in the image)");
        }
        UserResolver.ResolvedUser user = UserResolver.resolve(rootfs, p.user(), p.additionalGroups());
        // A bare NAME unsets NAME (containerd's rule; `docker run -e NAME` sends it so when the client has no NAME):
        // it already replaced any earlier NAME=value when the lists were merged, and runc refuses it as it is.
        List<String> env = new ArrayList<>(p.env() == null ? List.of()
                : p.env().stream().filter(e -> e.indexOf('=') > 0).toList());
        if (env.stream().noneMatch(e -> e.startsWith("PATH="))) {
            env.addFirst(DockerDefaults.DEFAULT_PATH);
        }
        if (hostname != null && !hostname.isBlank() && env.stream().noneMatch(e -> e.startsWith("HOSTNAME="))) {
            env.add("HOSTNAME=" + hostname);
        }
        if (p.terminal() && env.stream().noneMatch(e -> e.startsWith("TERM="))) {
            env.add("TERM=xterm");
        }
        if (env.stream().noneMatch(e -> e.startsWith("HOME="))) {
            env.add("HOME=" + user.home());
        }
        OciConfig.Capabilities capSet = new OciConfig.Capabilities(caps, caps, caps, null, null);
        return new OciConfig.Process(p.terminal(),
                new OciConfig.User(user.uid(), user.gid(), user.additionalGids().isEmpty() ? null : user.additionalGids()),
                p.args(), env, p.cwd() == null || p.cwd().isBlank() ? "/" : p.cwd(), capSet, rlimits(p.rlimits()),
                noNewPrivileges ? Boolean.TRUE : null);
    }

    /** The container's capability set, for an exec'd process that should match PID 1's. */
    public List<String> capabilities(RuntimeSpec spec) {
        return Capabilities.effective(spec.process().capAdd(), spec.process().capDrop(), spec.privileged(),
                host.boundingCaps());
    }

    /** Every capability this host lets a container have (docker exec --privileged). */
    public List<String> privilegedCapabilities() {
        return Capabilities.effective(List.of(), List.of(), true, host.boundingCaps());
    }

    private OciConfig.Process withInit(OciConfig.Process p) {
        if (host.initBinary() == null) {
            throw new UnavailableException("--init needs tini, which is not installed on this host "
                    + "(install the Debian package tini, e.g. with bin/install-deps)");
        }
        List<String> args = new ArrayList<>(List.of(INIT_PATH, "--"));
        args.addAll(p.args());
        return new OciConfig.Process(p.terminal(), p.user(), args, p.env(), p.cwd(), p.capabilities(), p.rlimits(),
                p.noNewPrivileges(), p.oomScoreAdj());
    }

    /** Rlimits clamped to the daemon's own hard limits: raising a hard limit is denied without CAP_SYS_RESOURCE here. */
    private List<OciConfig.Rlimit> rlimits(List<RuntimeSpec.Rlimit> limits) {
        if (limits == null || limits.isEmpty()) {
            return null;
        }
        List<OciConfig.Rlimit> out = new ArrayList<>();
        for (RuntimeSpec.Rlimit r : limits) {
            String type = r.type().toUpperCase(java.util.Locale.ROOT);
            if (!type.startsWith("RLIMIT_")) {
                type = "RLIMIT_" + type;
            }
            long max = host.hardRlimits().getOrDefault(type, -1L);
            long hard = clamp(r.hard(), max);
            long soft = Math.min(clamp(r.soft(), max), hard < 0 ? Long.MAX_VALUE : hard);
            out.add(new OciConfig.Rlimit(type, soft, hard));
        }
        return out;
    }

    private static long clamp(long value, long max) {
        if (max < 0) {
            return value;
        }
        return value < 0 ? max : Math.min(value, max);
    }

    private List<OciConfig.Namespace> namespaces(RuntimeSpec spec) {
        RuntimeSpec.Linux lx = spec.linux();
        List<OciConfig.Namespace> ns = new ArrayList<>();
        add(ns, "pid", lx.pid());
        add(ns, "ipc", lx.ipc());
        add(ns, "uts", lx.uts());
        ns.add(new OciConfig.Namespace("mount", null));
        RuntimeSpec.NetworkMode mode = spec.networkMode() == null ? RuntimeSpec.NetworkMode.NONE : spec.networkMode();
        switch (mode) {
            case NONE -> ns.add(new OciConfig.Namespace("network", null));
            case PATH -> ns.add(new OciConfig.Namespace("network", spec.networkNsPath()));
            case HOST -> { }
        }
        // Docker's default-cgroupns-mode: private on cgroup v2, host on v1
        add(ns, "cgroup", lx.cgroup() != null ? lx.cgroup()
                : host.cgroupV2() ? RuntimeSpec.Namespace.PRIVATE : RuntimeSpec.Namespace.HOST);
        return ns;
    }

    private static void add(List<OciConfig.Namespace> ns, String type, RuntimeSpec.Namespace n) {
        if (!n.host()) {
            ns.add(new OciConfig.Namespace(type, n.path()));
        }
    }

    private String cgroupsPath(String id, String parent) {
        String p = parent == null || parent.isBlank() ? defaultCgroupParent : parent;
        return (p.startsWith("/") ? p : "/" + p).replaceAll("/+$", "") + "/" + id;
    }

    /** The daemon's --seccomp-profile: a profile's JSON, or "unconfined"; null for Docker's default profile. */
    private volatile String daemonSeccomp;

    /**
     * Makes {@code profile} (a profile's JSON, or "unconfined") what containers that name none run with, in place of
     * Docker's default profile (dockerd's --seccomp-profile); checked now, so a bad one fails the daemon's start.
     */
    public void useDefaultSeccomp(String profile) {
        if (profile != null && !profile.equals("unconfined")) {
            SeccompProfiles.fromJson(profile, host.boundingCaps(), host);
        }
        this.daemonSeccomp = profile;
    }

    private OciConfig.Seccomp seccomp(RuntimeSpec spec, List<String> caps) {
        String profile = spec.seccompProfile() != null ? spec.seccompProfile() : daemonSeccomp;
        if ("unconfined".equals(profile) || (spec.privileged() && profile == null)) {
            return null;
        }
        return profile == null ? SeccompProfiles.defaultProfile(caps, host) : SeccompProfiles.fromJson(profile, caps, host);
    }

    /** Docker's HostConfig resources in OCI terms; unsupported knobs are left out, as dockerd does with a warning. */
    public OciConfig.Resources resources(RuntimeSpec.Resources r, boolean privileged) {
        return resources(r, privileged, List.of());
    }

    private OciConfig.Resources resources(RuntimeSpec.Resources r, boolean privileged, List<OciConfig.DeviceRule> extra) {
        List<OciConfig.DeviceRule> devices = new ArrayList<>(DockerDefaults.deviceRules(privileged));
        devices.addAll(extra);
        if (r == null) {
            return new OciConfig.Resources(devices, null, null, null, null);
        }
        OciConfig.Memory memory = null;
        // memory.oom_control exists on cgroup v1 only; v2 has no way to disable the OOM killer (Docker drops it too)
        Boolean noOomKill = r.oomKillDisable() && !host.cgroupV2() ? Boolean.TRUE : null;
        // memory.swappiness is cgroup v1's; v2 has no such knob (Docker discards it there with a warning)
        Long swappiness = r.memorySwappiness() >= 0 && !host.cgroupV2() ? r.memorySwappiness() : null;
        if (r.memory() > 0 || r.memoryReservation() > 0 || r.memorySwap() != 0 || noOomKill != null || swappiness != null) {
            Long swap = null;
            if (host.swapLimit() && r.memory() > 0) {
                // Docker: unset swap means twice the memory; -1 means unlimited.
                swap = r.memorySwap() == 0 ? 2 * r.memory() : r.memorySwap();
            }
            memory = new OciConfig.Memory(positive(r.memory()), positive(r.memoryReservation()), swap, noOomKill,
                    swappiness);
        }
        OciConfig.Cpu cpu = null;
        long period = r.cpuPeriod(), quota = r.cpuQuota();
        if (r.nanoCpus() > 0) {
            period = 100_000;
            quota = r.nanoCpus() * period / 1_000_000_000L;
        }
        if (r.cpuShares() > 0 || period > 0 || quota != 0 || notBlank(r.cpusetCpus()) || notBlank(r.cpusetMems())) {
            cpu = new OciConfig.Cpu(positive(r.cpuShares()), quota == 0 ? null : quota, positive(period),
                    blankToNull(r.cpusetCpus()), blankToNull(r.cpusetMems()));
        }
        OciConfig.Pids pids = r.pidsLimit() != 0 ? new OciConfig.Pids(r.pidsLimit()) : null;
        return new OciConfig.Resources(devices, memory, cpu, pids, blockIo(r));
    }

    private OciConfig.BlockIO blockIo(RuntimeSpec.Resources r) {
        Integer weight = r.blkioWeight() > 0 && host.blkioWeight() ? (int) r.blkioWeight() : null;
        List<OciConfig.WeightDevice> weights = host.blkioWeight() ? r.blkioThrottles().stream()
                .filter(t -> t.kind() == RuntimeSpec.BlkioThrottle.Kind.WEIGHT)
                .map(t -> new OciConfig.WeightDevice(t.major(), t.minor(), (int) t.rate())).toList() : List.of();
        boolean throttled = r.blkioThrottles().stream().anyMatch(t -> t.kind() != RuntimeSpec.BlkioThrottle.Kind.WEIGHT);
        if (weight == null && weights.isEmpty() && !throttled) {
            return null;
        }
        return new OciConfig.BlockIO(weight, weights.isEmpty() ? null : weights, throttles(r, RuntimeSpec.BlkioThrottle.Kind.READ_BPS),
                throttles(r, RuntimeSpec.BlkioThrottle.Kind.WRITE_BPS), throttles(r, RuntimeSpec.BlkioThrottle.Kind.READ_IOPS),
                throttles(r, RuntimeSpec.BlkioThrottle.Kind.WRITE_IOPS));
    }

    private static List<OciConfig.ThrottleDevice> throttles(RuntimeSpec.Resources r, RuntimeSpec.BlkioThrottle.Kind kind) {
        List<OciConfig.ThrottleDevice> out = r.blkioThrottles().stream().filter(t -> t.kind() == kind)
                .map(t -> new OciConfig.ThrottleDevice(t.major(), t.minor(), t.rate())).toList();
        return out.isEmpty() ? null : out;
    }

    private static Long positive(long v) {
        return v > 0 ? v : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static String blankToNull(String s) {
        return notBlank(s) ? s : null;
    }
}

package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates Docker's Config and HostConfig into the runtime's OCI terms. The runtime adds the standard
 * mounts (/proc, /dev, /sys, ...); this adds the container's own: the /etc files, binds and tmpfs.
 */
public final class SpecBuilder {
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private SpecBuilder() {
    }

    /**
     * @param rootfs       the mounted merged directory
     * @param etcFiles     the container's hostname, hosts and resolv.conf files
     * @param netnsPath    for NetworkMode "container:x": the other container's netns; else null
     */
    public static RuntimeSpec build(Container c, Path rootfs, EtcFiles etcFiles, String netnsPath) {
        return build(c, rootfs, etcFiles, netnsPath, ContainerMounts.HOST_ONLY.mount(c, rootfs));
    }

    /** @param userMounts the container's binds, volumes and tmpfs mounts (see {@link ContainerMounts#mount}) */
    public static RuntimeSpec build(Container c, Path rootfs, EtcFiles etcFiles, String netnsPath,
                                    List<RuntimeSpec.Mount> userMounts) {
        return build(c, rootfs, etcFiles, netnsPath, userMounts, RuntimeSpec.Linux.DEFAULT, List.of());
    }

    /**
     * @param linux     the container's namespaces, devices and OOM score (see {@link LinuxSetup#resolve})
     * @param linkedEnv the legacy links' variables (see {@link Links#environment}), placed as dockerd places them
     */
    public static RuntimeSpec build(Container c, Path rootfs, EtcFiles etcFiles, String netnsPath,
                                    List<RuntimeSpec.Mount> userMounts, RuntimeSpec.Linux linux,
                                    List<String> linkedEnv) {
        ObjectNode cfg = c.config();
        ObjectNode h = c.hostConfig();
        boolean readOnly = h.path("ReadonlyRootfs").asBoolean(false);
        List<RuntimeSpec.Mount> mounts = new ArrayList<>();
        List<String> etcOpts = readOnly ? List.of("rbind", "rprivate", "ro") : List.of("rbind", "rprivate");
        etcFiles.byContainerPath().forEach((at, file) -> mounts.add(new RuntimeSpec.Mount(at, "bind", file.toString(),
                etcOpts)));
        mounts.addAll(userMounts);
        // parents first, as Docker sorts them: a volume on /etc must not hide the /etc/hosts mounted into it
        mounts.sort(java.util.Comparator.comparingInt(m -> Path.of(m.destination()).normalize().getNameCount()));

        String mode = ConfigMerger.text(h, "NetworkMode");
        RuntimeSpec.NetworkMode netMode = mode.equals("host") ? RuntimeSpec.NetworkMode.HOST
                : netnsPath != null ? RuntimeSpec.NetworkMode.PATH : RuntimeSpec.NetworkMode.NONE;

        // checked at create (a container stored before the check came in starts as it did)
        SecurityOptions security = securityOptions(ConfigMerger.strings(h.get("SecurityOpt")), false);

        RuntimeSpec.Process process = new RuntimeSpec.Process(
                ConfigMerger.commandLine(cfg),
                environment(cfg, cfg.path("Tty").asBoolean(false), linkedEnv),
                ConfigMerger.text(cfg, "WorkingDir").isEmpty() ? "/" : ConfigMerger.text(cfg, "WorkingDir"),
                ConfigMerger.text(cfg, "User"),
                ConfigMerger.strings(h.get("GroupAdd")),
                c.tty(),
                ConfigMerger.strings(h.get("CapAdd")),
                ConfigMerger.strings(h.get("CapDrop")),
                rlimits(h));
        return new RuntimeSpec(process, rootfs.toString(), readOnly, ConfigMerger.text(cfg, "Hostname"),
                ConfigMerger.text(cfg, "Domainname"), h.path("Privileged").asBoolean(false), mounts, resources(h),
                netMode, netnsPath, security.seccompProfile(), security.noNewPrivileges(), sysctls(h),
                ConfigMerger.text(h, "CgroupParent"), h.path("Init").asBoolean(false), stringMap(h.get("Annotations")),
                linux);
    }

    /** --sysctl values, over dockerd's network defaults when the container has a network namespace of its own. */
    private static Map<String, String> sysctls(ObjectNode h) {
        Map<String, String> requested = stringMap(h.get("Sysctls"));
        String mode = ConfigMerger.text(h, "NetworkMode");
        return mode.equals("host") || mode.startsWith("container:") ? requested
                : dev.skiff.runtime.oci.NetworkSysctls.forOwnNamespace(requested);
    }

    /**
     * What Docker's daemon gives the process, in its order (CreateDaemonEnvironment, then ReplaceOrAppendEnvValues):
     * PATH, HOSTNAME, and TERM for a TTY, each replaced in place by Config.Env's value of the same name, then the
     * rest of Config.Env in order; a bare NAME in Config.Env unsets one of those three.
     */
    static List<String> environment(ObjectNode cfg) {
        return environment(cfg, cfg.path("Tty").asBoolean(false), List.of());
    }

    /**
     * As {@link #environment(ObjectNode)}, TERM following {@code tty} (an exec's own, as dockerd's exec create), and
     * the legacy links' variables ({@code linked}) after the daemon's three and before Config.Env, which may replace
     * or unset them too.
     */
    static List<String> environment(ObjectNode cfg, boolean tty, List<String> linked) {
        List<String> env = new ArrayList<>(List.of(DEFAULT_PATH, "HOSTNAME=" + ConfigMerger.text(cfg, "Hostname")));
        if (tty) {
            env.add("TERM=xterm");
        }
        env.addAll(linked);
        Map<String, Integer> base = new LinkedHashMap<>();
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            base.put(e.contains("=") ? e.substring(0, e.indexOf('=')) : e, i);
        }
        for (String e : ConfigMerger.strings(cfg.get("Env"))) {
            int eq = e.indexOf('=');
            Integer at = base.get(eq < 0 ? e : e.substring(0, eq));
            if (at != null) {
                env.set(at, eq < 0 ? null : e);
            } else if (eq >= 0) {
                env.add(e);
            }
        }
        env.removeIf(java.util.Objects::isNull);
        return env;
    }

    /** A build step's limits (cgroup resources, rlimits) and confinement (seccomp, no-new-privileges, cgroup parent). */
    public record StepLimits(RuntimeSpec.Resources resources, List<RuntimeSpec.Rlimit> rlimits,
                             dev.skiff.build.StepSandbox sandbox) {
    }

    /**
     * What --security-opt asks of the runtime.
     *
     * @param seccompProfile null for the default profile, "unconfined", or a profile's JSON (the docker CLI sends a
     *                       file's content)
     */
    public record SecurityOptions(String seccompProfile, boolean noNewPrivileges) {
    }

    /**
     * Reads --security-opt values as dockerd's parseSecurityOpt does, in its words for one it does not know:
     * {@code seccomp=} (also {@code seccomp:}), {@code no-new-privileges[=bool]}; {@code apparmor=}, {@code label=}
     * and {@code writable-cgroups=} are accepted and have no effect here (no AppArmor or SELinux; cgroups stay
     * read-only).
     *
     * @param strict refuse what dockerd refuses; else skip it
     */
    public static SecurityOptions securityOptions(List<String> opts, boolean strict) {
        String seccomp = null;
        boolean noNewPrivileges = false;
        for (String opt : opts) {
            if (opt.equals("no-new-privileges")) {
                noNewPrivileges = true;
                continue;
            }
            int eq = opt.indexOf('=');
            int colon = opt.indexOf(':');
            int at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
            if (at <= 0) {
                if (strict) {
                    throw new InvalidArgumentException("invalid --security-opt 1: \"" + opt + "\"");
                }
                continue;
            }
            String key = opt.substring(0, at);
            String value = opt.substring(at + 1);
            switch (key) {
                case "seccomp" -> seccomp = value;
                case "no-new-privileges" -> noNewPrivileges = switch (value) {
                    case "true", "1", "t", "T", "TRUE", "True" -> true;
                    case "false", "0", "f", "F", "FALSE", "False" -> false;
                    default -> {
                        if (strict) {
                            throw new InvalidArgumentException("invalid --security-opt 2: \"" + opt + "\"");
                        }
                        yield noNewPrivileges;
                    }
                };
                case "apparmor", "label", "writable-cgroups" -> {
                    // no meaning on this host: accepted, as dockerd accepts them without AppArmor or SELinux
                }
                default -> {
                    if (strict) {
                        throw new InvalidArgumentException("invalid --security-opt 2: \"" + opt + "\"");
                    }
                }
            }
        }
        return new SecurityOptions(seccomp, noNewPrivileges);
    }

    /**
     * The limits POST /build gives its RUN steps, from a HostConfig of Memory, MemorySwap, CpuShares, CpuPeriod,
     * CpuQuota, CpusetCpus, CpusetMems and Ulimits: checked by the rules a container's are checked by at create,
     * in the same words (dockerd gives its step containers these HostConfig fields too).
     */
    public static StepLimits stepLimits(ObjectNode h) {
        ConfigMerger.checkMemory(h.path("Memory").asLong(0), h.path("MemorySwap").asLong(0));
        HostConfigRules.checkCpuPeriodAndQuota(h.path("CpuPeriod").asLong(0), h.path("CpuQuota").asLong(0));
        // the clamping warnings go nowhere: a build has no create response to carry them, and runc gets the clamp
        HostConfigRules.ulimits(h, HostFacts.current(), new ArrayList<>());
        SecurityOptions security = securityOptions(ConfigMerger.strings(h.get("SecurityOpt")), true);
        String seccomp = security.seccompProfile();
        if (seccomp != null && !seccomp.equals("unconfined") && !seccomp.strip().startsWith("{")) {
            // the docker CLI sends run's --security-opt seccomp=FILE as the file's JSON, but build's as written
            throw new InvalidArgumentException("Decoding seccomp profile failed: \"" + seccomp + "\" is not a profile's"
                    + " JSON (docker build sends --security-opt as written: give seccomp=unconfined, or the JSON itself)");
        }
        return new StepLimits(resources(h), rlimits(h), new dev.skiff.build.StepSandbox(seccomp,
                security.noNewPrivileges(), ConfigMerger.text(h, "CgroupParent")));
    }

    public static RuntimeSpec.Resources resources(JsonNode h) {
        return new RuntimeSpec.Resources(h.path("Memory").asLong(0), h.path("MemorySwap").asLong(0),
                h.path("MemoryReservation").asLong(0), h.path("NanoCpus").asLong(0), h.path("CpuShares").asLong(0),
                h.path("CpuPeriod").asLong(0), h.path("CpuQuota").asLong(0), emptyToNull(ConfigMerger.text(h, "CpusetCpus")),
                emptyToNull(ConfigMerger.text(h, "CpusetMems")), h.path("PidsLimit").asLong(0), h.path("BlkioWeight").asLong(0),
                h.path("OomKillDisable").asBoolean(false), h.path("MemorySwappiness").asLong(-1), BlkioThrottles.of(h));
    }

    /** HostConfig.Binds ("/host:/ctr[:ro]") and HostConfig.Mounts of type bind; named volumes belong to the volume service. */
    static List<RuntimeSpec.Mount> binds(ObjectNode h) {
        List<RuntimeSpec.Mount> out = new ArrayList<>();
        for (String bind : ConfigMerger.strings(h.get("Binds"))) {
            String[] parts = bind.split(":");
            if (parts.length < 2 || !parts[0].startsWith("/")) {
                throw new InvalidArgumentException("invalid bind " + bind
                        + ": only host paths (/host/dir:/container/dir[:ro]) are supported so far");
            }
            boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
            out.add(new RuntimeSpec.Mount(parts[1], "bind", parts[0], ro ? List.of("rbind", "ro") : List.of("rbind")));
        }
        for (JsonNode m : h.path("Mounts")) {
            String type = m.path("Type").asText("");
            String target = m.path("Target").asText("");
            if (type.equals("bind")) {
                List<String> opts = m.path("ReadOnly").asBoolean(false) ? List.of("rbind", "ro") : List.of("rbind");
                out.add(new RuntimeSpec.Mount(target, "bind", m.path("Source").asText(), opts));
            } else if (type.equals("tmpfs")) {
                List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
                long size = m.path("TmpfsOptions").path("SizeBytes").asLong(0);
                if (size > 0) {
                    opts.add("size=" + size);
                }
                int mode = m.path("TmpfsOptions").path("Mode").asInt(0);
                if (mode != 0) {
                    opts.add("mode=" + Integer.toOctalString(mode));
                }
                out.add(new RuntimeSpec.Mount(target, "tmpfs", "tmpfs", opts));
            }
        }
        return out;
    }

    /** HostConfig.Tmpfs {"/run": "rw,size=64m"}: Docker's defaults noexec,nosuid,nodev unless the user says exec etc. */
    public static List<RuntimeSpec.Mount> tmpfs(ObjectNode h) {
        List<RuntimeSpec.Mount> out = new ArrayList<>();
        h.path("Tmpfs").properties().forEach(e -> {
            List<String> user = e.getValue().asText().isEmpty() ? List.of() : List.of(e.getValue().asText().split(","));
            List<String> opts = new ArrayList<>();
            for (String[] pair : new String[][] {{"noexec", "exec"}, {"nosuid", "suid"}, {"nodev", "dev"}}) {
                if (!user.contains(pair[0]) && !user.contains(pair[1])) {
                    opts.add(pair[0]);
                }
            }
            opts.addAll(user);
            out.add(new RuntimeSpec.Mount(e.getKey(), "tmpfs", "tmpfs", opts));
        });
        return out;
    }

    static List<RuntimeSpec.Rlimit> rlimits(ObjectNode h) {
        List<RuntimeSpec.Rlimit> out = new ArrayList<>();
        for (JsonNode u : h.path("Ulimits")) {
            String name = "RLIMIT_" + u.path("Name").asText().toUpperCase(Locale.ROOT);
            out.add(new RuntimeSpec.Rlimit(name, u.path("Soft").asLong(), u.path("Hard").asLong()));
        }
        return out;
    }

    private static Map<String, String> stringMap(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}

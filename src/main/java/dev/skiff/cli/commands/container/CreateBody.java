package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.format.Units;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns run/create flags into the body of POST /containers/create, field for field as docker sends it. */
public final class CreateBody {
    private CreateBody() {
    }

    /**
     * @param env the local environment, for "-e NAME" without a value
     * @param autoRemove --rm (run only)
     * @param detached -d (run only; create never attaches)
     */
    public static Map<String, Object> build(RunOptions o, Map<String, String> env, boolean autoRemove, boolean detached) {
        return build(o, env, autoRemove, detached, null);
    }

    /** @param consoleSize [rows, columns] of the local terminal for -t, or null */
    public static Map<String, Object> build(RunOptions o, Map<String, String> env, boolean autoRemove, boolean detached,
                                            int[] consoleSize) {
        NetworkValues.check(o);
        List<String> streams = o.attachedStreams(detached);
        boolean attachStdin = streams.contains("stdin");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Hostname", nz(o.hostname));
        body.put("Domainname", o.hostConfigFlags.domainname());
        body.put("User", nz(o.user));
        body.put("AttachStdin", attachStdin);
        body.put("AttachStdout", streams.contains("stdout"));
        body.put("AttachStderr", streams.contains("stderr"));
        Map<String, Object> exposed = PortSpecs.exposedPorts(o.publish, o.expose);
        if (!exposed.isEmpty()) {
            body.put("ExposedPorts", exposed);
        }
        body.put("Tty", o.tty);
        body.put("OpenStdin", o.interactive);
        body.put("StdinOnce", o.interactive && attachStdin);
        List<String> environment = environment(o, env);
        body.put("Env", environment.isEmpty() ? null : environment);
        body.put("Cmd", o.command.isEmpty() ? null : List.copyOf(o.command));
        body.put("Image", o.image);
        body.put("Volumes", anonymousVolumes(o.volumes));
        body.put("WorkingDir", nz(o.workdir));
        body.put("Entrypoint", o.entrypoint == null ? null : List.of(o.entrypoint));
        body.put("Labels", labels(o));
        if (o.stopSignal != null) {
            body.put("StopSignal", o.stopSignal);
        }
        if (o.stopTimeout != null) {
            body.put("StopTimeout", o.stopTimeout);
        }
        Map<String, Object> health = HealthFlags.healthcheck(o);
        if (health != null) {
            body.put("Healthcheck", health);
        }
        body.put("HostConfig", hostConfig(o, autoRemove, consoleSize));
        body.put("NetworkingConfig", Map.of("EndpointsConfig", endpoints(o)));
        return body;
    }

    /**
     * docker names an endpoint for the default and user-defined networks, none for host, none, container:x;
     * --network-alias, --ip, --ip6 and --mac-address are the endpoint's settings.
     */
    static Map<String, Object> endpoints(RunOptions o) {
        String network = o.network == null ? "default" : o.network;
        Map<String, Object> ep = new LinkedHashMap<>();
        if (!o.networkAliases.isEmpty()) {
            ep.put("Aliases", List.copyOf(o.networkAliases));
        }
        Map<String, Object> ipam = new LinkedHashMap<>();
        if (o.ip != null && !o.ip.isEmpty()) {
            ipam.put("IPv4Address", o.ip);
        }
        if (o.ip6 != null && !o.ip6.isEmpty()) {
            ipam.put("IPv6Address", o.ip6);
        }
        if (!o.linkLocalIps.isEmpty()) {
            ipam.put("LinkLocalIPs", List.copyOf(o.linkLocalIps));
        }
        if (!ipam.isEmpty()) {
            ep.put("IPAMConfig", ipam);
        }
        if (o.macAddress != null && !o.macAddress.isEmpty()) {
            ep.put("MacAddress", o.macAddress);
        }
        boolean userDefined = !List.of("default", "bridge", "host", "none").contains(network) && !network.startsWith("container:");
        if (!o.networkAliases.isEmpty() && !userDefined) {
            throw CliFailure.invalid("network-scoped aliases are only supported for user-defined networks");
        }
        if (List.of("host", "none").contains(network) || network.startsWith("container:")) {
            // an address or MAC there is the daemon's to refuse or take, as with the docker CLI
            return ep.isEmpty() ? Map.of() : Map.of(network, ep);
        }
        if (network.equals("bridge") && ep.isEmpty()) {
            return Map.of();
        }
        return Map.of(network, ep);
    }

    /** "-v /data" (no host side) asks for an anonymous volume: Config.Volumes, not HostConfig.Binds. */
    private static Map<String, Object> anonymousVolumes(List<String> volumes) {
        Map<String, Object> out = new LinkedHashMap<>();
        volumes.stream().filter(v -> !v.contains(":")).forEach(v -> out.put(v, Map.of()));
        return out;
    }

    /** opts.NormalizeCapabilities: upper case with the CAP_ prefix; ALL stays ALL. */
    static List<String> capabilities(List<String> caps) {
        if (caps.isEmpty()) {
            return null;
        }
        return caps.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT))
                .map(c -> c.equals("ALL") || c.startsWith("CAP_") ? c : "CAP_" + c).distinct().toList();
    }

    private static Map<String, Object> hostConfig(RunOptions o, boolean autoRemove, int[] consoleSize) {
        Map<String, Object> h = new LinkedHashMap<>();
        List<String> binds = MountFlags.binds(o.volumes);
        h.put("Binds", binds.isEmpty() ? null : binds);
        List<Map<String, Object>> mounts = o.mounts.stream().map(MountFlags::parseMount).toList();
        if (!mounts.isEmpty()) {
            h.put("Mounts", mounts);
        }
        if (!o.volumesFrom.isEmpty()) {
            h.put("VolumesFrom", List.copyOf(o.volumesFrom));
        }
        if (o.volumeDriver != null) {
            h.put("VolumeDriver", o.volumeDriver);
        }
        h.put("NetworkMode", o.network == null ? "default" : o.network);
        h.put("ExtraHosts", o.addHosts.isEmpty() ? null : List.copyOf(o.addHosts));
        h.put("Links", o.links.isEmpty() ? null : List.copyOf(o.links));
        h.put("Dns", List.copyOf(o.dns));
        h.put("DnsSearch", List.copyOf(o.dnsSearch));
        h.put("DnsOptions", List.copyOf(o.dnsOptions));
        h.put("PortBindings", PortSpecs.bindings(o.publish));
        h.put("PublishAllPorts", o.publishAll);
        h.put("RestartPolicy", restartPolicy(o.restart, autoRemove));
        h.put("AutoRemove", autoRemove);
        if (!o.annotations.isEmpty()) {
            Map<String, String> annotations = new LinkedHashMap<>();
            for (String a : o.annotations) {
                // docker's MapOpts: KEY=VALUE, a bare KEY has the empty value
                int eq = a.indexOf('=');
                annotations.put(eq < 0 ? a : a.substring(0, eq), eq < 0 ? "" : a.substring(eq + 1));
            }
            h.put("Annotations", annotations);
        }
        if (o.runtime != null) {
            h.put("Runtime", o.runtime);
        }
        h.put("ConsoleSize", consoleSize == null ? List.of(0, 0) : List.of(consoleSize[0], consoleSize[1]));
        h.put("CapAdd", capabilities(o.capAdd));
        h.put("CapDrop", capabilities(o.capDrop));
        h.put("Privileged", o.privileged);
        h.put("ReadonlyRootfs", o.readOnly);
        h.put("SecurityOpt", o.securityOpt.isEmpty() ? null : List.copyOf(o.securityOpt));
        h.put("Tmpfs", tmpfs(o.tmpfs));
        h.put("Init", o.init ? Boolean.TRUE : null);
        h.put("CpuShares", o.cpuShares == null ? 0L : o.cpuShares);
        h.put("Memory", o.memory == null ? 0L : bytes("-m, --memory", o.memory));
        h.put("MemorySwap", o.memorySwap == null ? 0L : o.memorySwap.equals("-1") ? -1L : bytes("--memory-swap", o.memorySwap));
        h.put("MemorySwappiness", -1);
        h.put("NanoCpus", nanoCpus(o.cpus));
        h.put("PidsLimit", o.pidsLimit == null ? 0L : o.pidsLimit);
        o.hostConfigFlags.addTo(h);
        o.deviceFlags.addTo(h);
        return h;
    }

    static Map<String, Object> restartPolicy(String restart, boolean autoRemove) {
        String[] parts = restart.split(":", 2);
        String name = parts[0];
        // as the docker CLI: only the count is read here; the policy's name and its use are the daemon's to judge
        int max = 0;
        if (parts.length > 1) {
            try {
                max = Integer.parseInt(parts[1]);
            } catch (NumberFormatException e) {
                throw CliFailure.invalid("invalid restart policy format: maximum retry count must be an integer");
            }
        }
        if (autoRemove && !name.equals("no")) {
            throw CliFailure.invalid("conflicting options: cannot specify both --restart and --rm");
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("Name", name);
        p.put("MaximumRetryCount", max);
        return p;
    }

    private static long bytes(String flag, String value) {
        try {
            return Units.ramInBytes(value);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }

    static long nanoCpus(String cpus) {
        if (cpus == null) {
            return 0;
        }
        try {
            return new BigDecimal(cpus).movePointRight(9).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw CliFailure.usage("invalid argument \"" + cpus + "\" for \"--cpus\" flag: failed to parse " + cpus + " as a rational number");
        }
    }

    private static Map<String, String> tmpfs(List<String> specs) {
        if (specs.isEmpty()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : specs) {
            String[] parts = s.split(":", 2);
            out.put(parts[0], parts.length > 1 ? parts[1] : "");
        }
        return out;
    }

    private static List<String> environment(RunOptions o, Map<String, String> localEnv) {
        List<String> out = new ArrayList<>();
        for (String file : o.envFiles) {
            for (String line : keyValueLines(file, "--env-file")) {
                // a bare NAME takes the local value, and is left out when there is none: docker's env files
                // (unlike -e NAME, which passes a bare NAME on)
                if (!line.contains("=") && !localEnv.containsKey(line.strip())) {
                    continue;
                }
                out.add(resolveEnv(line, localEnv));
            }
        }
        for (String e : o.env) {
            out.add(resolveEnv(e, localEnv));
        }
        return out;
    }

    /** docker's ValidateEnv: a flag error for an entry without a name ("", "=x"). */
    static void checkEnv(String entry) {
        if (entry.isEmpty() || entry.startsWith("=")) {
            throw CliFailure.usage("invalid argument \"" + entry + "\" for \"-e, --env\" flag: invalid environment variable: " + entry);
        }
    }

    /** "-e NAME" takes NAME's value from the local environment, as docker does. */
    private static String resolveEnv(String entry, Map<String, String> localEnv) {
        checkEnv(entry);
        if (entry.contains("=")) {
            return entry;
        }
        String v = localEnv.get(entry);
        return v == null ? entry : entry + "=" + v;
    }

    private static Map<String, String> labels(RunOptions o) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        for (String file : o.labelFiles) {
            all.addAll(keyValueLines(file, "--label-file"));
        }
        all.addAll(o.labels);
        for (String l : all) {
            String[] kv = l.split("=", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return out;
    }

    /** docker's env/label file format: one KEY=value per line, blank lines and # comments skipped. */
    static List<String> keyValueLines(String file, String flag) {
        return keyValueLines(file, flag, true);
    }

    /**
     * The lines of an --env-file or --label-file; a file that cannot be read is run's and create's own error, or
     * (runsOwn false: exec) a plain one with exit code 1, as the docker CLI words each.
     */
    static List<String> keyValueLines(String file, String flag, boolean runsOwn) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of(file))) {
                String t = line.stripLeading();
                if (!t.isEmpty() && !t.startsWith("#")) {
                    out.add(t);
                }
            }
        } catch (IOException e) {
            String message = "open " + file + ": no such file or directory";
            throw runsOwn ? CliFailure.invalid(message) : CliFailure.of(message, 1);
        }
        return out;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}

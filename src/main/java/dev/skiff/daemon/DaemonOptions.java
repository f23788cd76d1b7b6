package dev.skiff.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * skiffd's flags, named as dockerd names them so scripts and habits carry over; a JSON config file
 * (dockerd's daemon.json keys) fills in what the command line leaves unset.
 */
@Command(name = "skiffd", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"The Skiff daemon: serves the Docker Engine API and runs containers on runc and conmon.",
                "SIGTERM or SIGINT stops it (containers keep running); SIGHUP re-reads the configuration file's"
                        + " log-level."},
        sortOptions = false)
public final class DaemonOptions {
    static final String DEFAULT_SOCKET = "unix:///run/skiff/skiff.sock";
    static final Path DEFAULT_CONFIG = Path.of("/etc/skiff/daemon.json");

    @Option(names = {"-H", "--host"}, paramLabel = "ADDR",
            description = "Address to serve the API on: unix:///path or tcp://host:port (repeatable; default ${DEFAULT-VALUE})")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--data-root", paramLabel = "DIR", description = "Root of persistent state (default /var/lib/skiff)")
    Path dataRoot;

    @Option(names = "--exec-root", paramLabel = "DIR", description = "Root of runtime state: sockets, exit files (default /run/skiff)")
    Path execRoot;

    @Option(names = {"-G", "--group"}, paramLabel = "GROUP", description = "Group that owns the unix socket (default skiff)")
    String group;

    @Option(names = {"-l", "--log-level"}, paramLabel = "LEVEL", description = "debug, info, warn, error (default info)")
    String logLevel;

    @Option(names = {"-D", "--debug"}, description = "Enable debug mode (the debug log level, unless --log-level says otherwise)")
    boolean debug;

    @Option(names = {"-p", "--pidfile"}, paramLabel = "FILE", description = "Daemon PID file (default EXEC-ROOT/skiffd.pid)")
    Path pidFile;

    @Option(names = "--config-file", paramLabel = "FILE", description = "Daemon configuration file (default /etc/skiff/daemon.json)")
    Path configFile;

    @Option(names = "--default-runtime", paramLabel = "PATH", description = "OCI runtime binary (default runc from PATH)")
    String runtime;

    @Option(names = "--default-address-pool", paramLabel = "base=CIDR,size=N",
            description = "Where networks given no --subnet take theirs (repeatable), e.g. base=10.10.0.0/16,size=24;"
                    + " Docker's pools (172.17-31.0.0/16, 192.168.0.0/16 in /20s) by default")
    List<String> addressPools = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "ADDRESS", description = "DNS server of containers that give none (repeatable)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--dns-search", paramLabel = "DOMAIN", description = "DNS search domain of containers that give none (repeatable)")
    List<String> dnsSearch = new ArrayList<>();

    @Option(names = "--dns-opt", paramLabel = "OPTION", description = "resolv.conf option of containers that give none (repeatable)")
    List<String> dnsOptions = new ArrayList<>();

    @Option(names = "--default-ulimit", paramLabel = "NAME=SOFT[:HARD]",
            description = "Ulimit of containers that set none of that name (repeatable), e.g. nofile=1024:2048")
    List<String> defaultUlimits = new ArrayList<>();

    @Option(names = "--default-shm-size", paramLabel = "SIZE", description = "/dev/shm size of containers that set none (default 64m)")
    String defaultShmSize;

    @Option(names = "--default-ipc-mode", paramLabel = "MODE", description = "IPC mode of containers that set none: private (default) or shareable")
    String defaultIpcMode;

    @Option(names = "--default-cgroupns-mode", paramLabel = "MODE",
            description = "cgroup namespace mode of containers that set none: private or host (default: host on cgroup v1, private on v2)")
    String defaultCgroupnsMode;

    @Option(names = "--seccomp-profile", paramLabel = "PATH|unconfined",
            description = "Seccomp profile of containers that name none, in place of Docker's default profile")
    String seccompProfile;

    @Option(names = "--init", description = "Run an init as PID 1 in containers that do not say --init=false")
    Boolean init;

    @Option(names = "--no-new-privileges", description = "Set no-new-privileges in containers that do not turn it off")
    Boolean noNewPrivileges;

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "A label of this daemon, shown by docker info (repeatable)")
    List<String> labels = new ArrayList<>();

    @Option(names = "--ip", paramLabel = "ADDRESS",
            description = "Where the default bridge's containers publish ports given no address (default 0.0.0.0: every address)")
    String ip;

    @Option(names = "--cgroup-parent", paramLabel = "PARENT",
            description = "The cgroup containers go under unless they name one (default /skiff)")
    String cgroupParent;

    @Option(names = "--mtu", paramLabel = "BYTES", description = "MTU of the default bridge network (default 1500)")
    Integer mtu;

    @Option(names = "--icc", arity = "1", paramLabel = "BOOL",
            description = "Whether containers on the default bridge reach each other (default true)")
    Boolean icc;

    @Option(names = "--log-driver", paramLabel = "DRIVER",
            description = "Default log driver of containers: json-file (default), local, none, syslog, journald, gelf, fluentd")
    String logDriver;

    @Option(names = "--log-opt", paramLabel = "KEY=VALUE",
            description = "Default container log options: max-size (default 20m), max-file (default 5), or the log"
                    + " driver's own (syslog-address=..., gelf-address=...)")
    Map<String, String> logOpts = new LinkedHashMap<>();

    /** The log options the command line and daemon.json gave, before the rotation defaults were added. */
    private Map<String, String> givenLogOpts = Map.of();

    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Registry that may be reached over plain HTTP (repeatable; loopback always may)")
    List<String> insecureRegistries = new ArrayList<>();

    @Option(names = "--registry-mirror", paramLabel = "URL", description = "Mirror tried before Docker Hub (repeatable)")
    List<String> registryMirrors = new ArrayList<>();

    @Option(names = "--max-concurrent-downloads", paramLabel = "N", description = "Layers fetched at once per pull (default 3)")
    Integer maxConcurrentDownloads;

    @Option(names = "--max-concurrent-uploads", paramLabel = "N", description = "Layers sent at once per push (default 5)")
    Integer maxConcurrentUploads;

    @Option(names = "--registry-certs-dir", paramLabel = "DIR",
            description = "Per-registry TLS files, DIR/HOST:PORT/ca.crt (default /etc/skiff/certs.d)")
    Path registryCertsDir;

    @Option(names = {"-b", "--bridge"}, paramLabel = "NAME",
            description = "Bridge device of the default \"bridge\" network (default skiff0)")
    String bridge;

    @Option(names = "--bip", paramLabel = "CIDR",
            description = "The default bridge's address and subnet, e.g. 172.17.0.1/16 (default: a free Docker pool)")
    String bip;

    @Option(names = "--ipv6", description = "Give the default bridge IPv6 too (dual stack), as dockerd's --ipv6")
    Boolean ipv6;

    @Option(names = "--fixed-cidr-v6", paramLabel = "CIDR",
            description = "The default bridge's IPv6 subnet with --ipv6, e.g. fd00:17::/64 (default: a /64 of the"
                    + " daemon's own ULA prefix)")
    String fixedCidrV6;

    /** Whether --log-level was given: a reload of the config file then leaves the level alone, as at start. */
    private boolean logLevelFlag;

    /** The keys of daemon.json skiffd reads. */
    static final java.util.Set<String> KEYS = java.util.Set.of("hosts", "data-root", "exec-root", "group", "log-level",
            "debug", "pidfile", "default-runtime", "insecure-registries", "registry-mirrors", "max-concurrent-downloads",
            "max-concurrent-uploads", "bridge", "bip", "log-opts", "log-driver", "ipv6", "fixed-cidr-v6",
            "default-address-pools", "dns", "dns-search", "dns-opts", "default-ulimits", "default-shm-size", "init",
            "no-new-privileges", "labels", "live-restore", "storage-driver", "mtu", "icc", "default-ipc-mode",
            "default-cgroupns-mode", "seccomp-profile", "ip", "cgroup-parent");
    /**
     * dockerd's other daemon.json keys: accepted so that a dockerd configuration can be reused, and named in a
     * warning at start (they change nothing here), where a key neither knows is refused, in dockerd's words.
     */
    static final java.util.Set<String> DOCKERD_KEYS = java.util.Set.of("allow-direct-routing",
            "allow-nondistributable-artifacts", "authorization-plugins", "bip6", "bridge-accept-fwmark", "builder",
            "cdi-spec-dirs", "cluster-advertise", "cluster-store", "cluster-store-opts", "containerd",
            "containerd-namespace", "containerd-plugin-namespace", "debug-address",
            "default-gateway", "default-gateway-v6", "default-network-opts",
            "exec-opts", "experimental",
            "features", "firewall-backend", "fixed-cidr", "host-gateway-ip", "host-gateway-ips",
            "init-path", "ip-forward", "ip-forward-no-drop", "ip-masq", "ip6tables", "iptables",
            "log-format", "max-download-attempts", "metrics-addr",
            "node-generic-resources", "oom-score-adjust", "proxies", "raw-logs", "runtimes",
            "selinux-enabled", "shutdown-timeout", "storage-opts",
            "swarm-default-advertise-addr", "tls", "tlscacert", "tlscert", "tlskey", "tlsverify", "userland-proxy",
            "userland-proxy-path", "userns-remap");

    /** dockerd's daemon.json keys the file has that skiffd does not use (logged at start). */
    private final List<String> ignoredKeys = new ArrayList<>();

    /** Applies the config file under the flags: a flag given on the command line wins. */
    DaemonOptions resolve() {
        if (debug && logLevel == null) {
            logLevel = "debug"; // dockerd -D
        }
        logLevelFlag = logLevel != null;
        Path file = configFileInUse();
        if (configFile != null || Files.exists(file)) {
            JsonNode conf = readConfig(file);
            checkKeys(conf, file);
            if (logLevel == null && conf.path("debug").asBoolean(false) && !conf.hasNonNull("log-level")) {
                logLevel = "debug"; // dockerd's "debug": true
            }
            if (hosts.isEmpty() && conf.has("hosts")) {
                conf.get("hosts").forEach(h -> hosts.add(h.asText()));
            }
            dataRoot = dataRoot != null ? dataRoot : pathOf(conf, "data-root");
            execRoot = execRoot != null ? execRoot : pathOf(conf, "exec-root");
            group = group != null ? group : textOf(conf, "group");
            logLevel = logLevel != null ? logLevel : textOf(conf, "log-level");
            pidFile = pidFile != null ? pidFile : pathOf(conf, "pidfile");
            runtime = runtime != null ? runtime : textOf(conf, "default-runtime");
            if (insecureRegistries.isEmpty()) {
                conf.path("insecure-registries").forEach(h -> insecureRegistries.add(h.asText()));
            }
            if (registryMirrors.isEmpty()) {
                conf.path("registry-mirrors").forEach(h -> registryMirrors.add(h.asText()));
            }
            if (maxConcurrentDownloads == null && conf.has("max-concurrent-downloads")) {
                maxConcurrentDownloads = conf.get("max-concurrent-downloads").asInt();
            }
            if (maxConcurrentUploads == null && conf.has("max-concurrent-uploads")) {
                maxConcurrentUploads = conf.get("max-concurrent-uploads").asInt();
            }
            bridge = bridge != null ? bridge : textOf(conf, "bridge");
            bip = bip != null ? bip : textOf(conf, "bip");
            ipv6 = ipv6 != null ? ipv6 : conf.hasNonNull("ipv6") ? conf.get("ipv6").asBoolean() : null;
            fixedCidrV6 = fixedCidrV6 != null ? fixedCidrV6 : textOf(conf, "fixed-cidr-v6");
            logDriver = logDriver != null ? logDriver : textOf(conf, "log-driver");
            fillFrom(conf, "dns", dns);
            fillFrom(conf, "labels", labels);
            ip = ip != null ? ip : textOf(conf, "ip");
            cgroupParent = cgroupParent != null ? cgroupParent : textOf(conf, "cgroup-parent");
            mtu = mtu != null ? mtu : conf.hasNonNull("mtu") ? Integer.valueOf(conf.get("mtu").asInt()) : null;
            icc = icc != null ? icc : conf.hasNonNull("icc") ? Boolean.valueOf(conf.get("icc").asBoolean()) : null;
            if (defaultUlimits.isEmpty()) {
                // {"nofile": {"Name": "nofile", "Soft": 1024, "Hard": 2048}}
                conf.path("default-ulimits").properties().forEach(e -> defaultUlimits.add(e.getKey() + "="
                        + e.getValue().path("Soft").asText("") + ":" + e.getValue().path("Hard").asText("")));
            }
            defaultShmSize = defaultShmSize != null ? defaultShmSize : textOf(conf, "default-shm-size");
            defaultIpcMode = defaultIpcMode != null ? defaultIpcMode : textOf(conf, "default-ipc-mode");
            seccompProfile = seccompProfile != null ? seccompProfile : textOf(conf, "seccomp-profile");
            defaultCgroupnsMode = defaultCgroupnsMode != null ? defaultCgroupnsMode : textOf(conf, "default-cgroupns-mode");
            init = init != null ? init : conf.hasNonNull("init") ? conf.get("init").asBoolean() : null;
            noNewPrivileges = noNewPrivileges != null ? noNewPrivileges
                    : conf.hasNonNull("no-new-privileges") ? conf.get("no-new-privileges").asBoolean() : null;
            String storage = textOf(conf, "storage-driver");
            if (storage != null && !storage.equals("overlay2") && !storage.equals("overlay")) {
                throw new InvalidArgumentException("storage-driver " + storage + " is not served: Skiff stores containers"
                        + " on overlayfs (\"storage-driver\": \"overlay2\", or leave the key out)");
            }
            fillFrom(conf, "dns-search", dnsSearch);
            fillFrom(conf, "dns-opts", dnsOptions);
            if (addressPools.isEmpty()) {
                // [{"base": "10.10.0.0/16", "size": 24}, ...]
                conf.path("default-address-pools").forEach(p -> addressPools.add("base=" + p.path("base").asText("")
                        + ",size=" + p.path("size").asText("")));
            }
            if (conf.has("log-opts")) {
                conf.get("log-opts").properties().forEach(e -> logOpts.putIfAbsent(e.getKey(), e.getValue().asText()));
            }
        }
        if (hosts.isEmpty()) {
            hosts.add(DEFAULT_SOCKET);
        }
        dataRoot = dataRoot != null ? dataRoot : Path.of("/var/lib/skiff");
        execRoot = execRoot != null ? execRoot : Path.of("/run/skiff");
        group = group != null ? group : "skiff";
        logLevel = logLevel != null ? logLevel : "info";
        pidFile = pidFile != null ? pidFile : execRoot.resolve("skiffd.pid");
        runtime = runtime != null ? runtime : "runc";
        bridge = bridge != null && !bridge.isEmpty() ? bridge : "skiff0";
        bip = bip != null ? bip : "";
        ipv6 = ipv6 != null && ipv6;
        fixedCidrV6 = fixedCidrV6 != null ? fixedCidrV6 : "";
        if (!fixedCidrV6.isEmpty() && !ipv6) {
            // as dockerd: the subnet alone turns nothing on
            throw new InvalidArgumentException("fixed-cidr-v6 " + fixedCidrV6 + " needs IPv6 on the default bridge:"
                    + " add --ipv6 (\"ipv6\": true), or leave fixed-cidr-v6 out");
        }
        logDriver = logDriver != null && !logDriver.isEmpty() ? logDriver : "json-file";
        givenLogOpts = Map.copyOf(logOpts);
        logOpts.putIfAbsent("max-size", "20m");
        logOpts.putIfAbsent("max-file", "5");
        return this;
    }

    /**
     * The log level once the config file was edited (a SIGHUP reload): the file's "log-level", unless the command
     * line set one, which still wins; "info" when neither does. A file that no longer parses is an error.
     */
    String reloadedLogLevel() {
        if (logLevelFlag) {
            return logLevel;
        }
        Path file = configFileInUse();
        if (configFile == null && !Files.exists(file)) {
            return "info";
        }
        JsonNode conf = readConfig(file);
        String level = textOf(conf, "log-level");
        return level != null ? level : conf.path("debug").asBoolean(false) ? "debug" : "info";
    }

    /** The configuration file: --config-file, else the default one (which may not exist). */
    Path configFileInUse() {
        return configFile != null ? configFile : DEFAULT_CONFIG;
    }

    /** Refuses what no daemon knows, as dockerd does; remembers dockerd's keys skiffd does not use. */
    private void checkKeys(JsonNode conf, Path file) {
        if (!conf.isObject()) {
            throw new InvalidArgumentException("unable to configure the daemon with file " + file
                    + ": it is not a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        ignoredKeys.clear();
        conf.fieldNames().forEachRemaining(k -> {
            if (DOCKERD_KEYS.contains(k)) {
                ignoredKeys.add(k);
            } else if (k.equals("live-restore") && !conf.get(k).asBoolean(true)) {
                // skiffd always keeps containers running across its own restarts: false is not honoured
                ignoredKeys.add("live-restore (false: containers keep running when skiffd stops)");
            } else if (!KEYS.contains(k)) {
                unknown.add(k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new InvalidArgumentException("unable to configure the daemon with file " + file
                    + ": the following directives don't match any configuration option: " + String.join(", ", unknown));
        }
    }

    /** dockerd's daemon.json keys the configuration file has that skiffd does not use. */
    public List<String> ignoredKeys() {
        return List.copyOf(ignoredKeys);
    }

    private static JsonNode readConfig(Path file) {
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new InvalidArgumentException("unable to read daemon configuration " + file + ": " + e.getMessage()
                    + " (fix the file or pass --config-file)");
        }
    }

    private static String textOf(JsonNode conf, String key) {
        return conf.hasNonNull(key) ? conf.get(key).asText() : null;
    }

    private static Path pathOf(JsonNode conf, String key) {
        String s = textOf(conf, key);
        return s == null ? null : Path.of(s);
    }

    public List<String> hosts() {
        return hosts;
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public Path execRoot() {
        return execRoot;
    }

    public String group() {
        return group;
    }

    public String logLevel() {
        return logLevel;
    }

    public Path pidFile() {
        return pidFile;
    }

    public String runtime() {
        return runtime;
    }

    /** How the registry client reaches registries. */
    public dev.skiff.registry.client.RegistryOptions registryOptions() {
        dev.skiff.registry.client.RegistryOptions d = dev.skiff.registry.client.RegistryOptions.defaults();
        return new dev.skiff.registry.client.RegistryOptions(java.util.Set.copyOf(insecureRegistries),
                registryMirrors.stream().map(java.net.URI::create).toList(),
                registryCertsDir != null ? registryCertsDir : d.certsRoot(), d.connectTimeout(),
                maxConcurrentDownloads != null ? maxConcurrentDownloads : d.maxDownloads(),
                maxConcurrentUploads != null ? maxConcurrentUploads : d.maxUploads());
    }

    /** The default bridge network's device (-b). */
    public String bridge() {
        return bridge;
    }

    /** Whether the default bridge has IPv6 too (--ipv6). */
    public boolean ipv6() {
        return ipv6;
    }

    /** The default bridge's IPv6 subnet (--fixed-cidr-v6), or "" for a /64 of the daemon's ULA prefix. */
    public String fixedCidrV6() {
        return fixedCidrV6;
    }

    /** The default bridge's gateway/prefix (--bip), or "" to choose a free pool. */
    public String bip() {
        return bip;
    }

    /** A list key of daemon.json, unless its flag gave the list. */
    private static void fillFrom(com.fasterxml.jackson.databind.JsonNode conf, String key, List<String> list) {
        if (list.isEmpty()) {
            conf.path(key).forEach(v -> list.add(v.asText()));
        }
    }

    /**
     * --default-ulimit, --default-shm-size, --init, --no-new-privileges, --default-ipc-mode, --default-cgroupns-mode,
     * --log-driver and the given --log-opt (and their daemon.json keys).
     */
    public dev.skiff.engine.ContainerDefaults containerDefaults() {
        List<dev.skiff.engine.ContainerDefaults.Ulimit> ulimits = new ArrayList<>();
        for (String u : defaultUlimits) {
            ulimits.add(ulimit(u));
        }
        return new dev.skiff.engine.ContainerDefaults(ulimits, Sizes.parse(defaultShmSize), Boolean.TRUE.equals(init),
                Boolean.TRUE.equals(noNewPrivileges), defaultIpcMode == null ? "" : defaultIpcMode,
                defaultCgroupnsMode == null ? "" : defaultCgroupnsMode, logDriver, givenLogOpts);
    }

    /** "nofile=1024:2048" or "nofile=1024" (the soft limit as hard too), as dockerd's --default-ulimit. */
    static dev.skiff.engine.ContainerDefaults.Ulimit ulimit(String text) {
        int eq = text.indexOf('=');
        try {
            if (eq <= 0) {
                throw new NumberFormatException();
            }
            String[] limits = text.substring(eq + 1).split(":", 2);
            long soft = Long.parseLong(limits[0].trim());
            long hard = limits.length > 1 && !limits[1].isBlank() ? Long.parseLong(limits[1].trim()) : soft;
            return new dev.skiff.engine.ContainerDefaults.Ulimit(text.substring(0, eq), soft, hard);
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid default ulimit " + text + ": write it as nofile=1024:2048");
        }
    }

    /**
     * The cgroup containers go under when they name none (dockerd's --cgroup-parent, with the cgroupfs driver):
     * "/skiff" by default, as dockerd's "/docker".
     */
    public String cgroupParent() {
        if (cgroupParent == null || cgroupParent.isBlank()) {
            return "/skiff";
        }
        if (java.util.Arrays.asList(cgroupParent.split("/")).contains("..")) {
            throw new InvalidArgumentException("invalid --cgroup-parent " + cgroupParent
                    + ": a cgroup path under the hierarchy's root, without \"..\"");
        }
        return cgroupParent;
    }

    /** --ip (daemon.json ip): the default bridge's host binding address; 0.0.0.0 unless given. */
    public String ip() {
        if (ip == null || ip.isBlank()) {
            return "0.0.0.0";
        }
        if (!dev.skiff.sys.NatPorts.isIp(ip.trim())) {
            throw new InvalidArgumentException("invalid --ip " + ip + ": give an IP address such as 127.0.0.1");
        }
        return ip.trim();
    }

    /** --mtu (daemon.json mtu): the default bridge's; 1500 unless given. */
    public int mtu() {
        return mtu == null || mtu == 0 ? 1500 : mtu;
    }

    /** --icc (daemon.json icc): true unless given false. */
    public boolean icc() {
        return icc == null || icc;
    }

    /** --seccomp-profile as given: a path, "unconfined", or null for Docker's default profile. */
    public String seccompProfile() {
        return seccompProfile == null || seccompProfile.isBlank() || seccompProfile.equals("builtin") ? null : seccompProfile;
    }

    /** The profile's JSON (read now), "unconfined", or null. */
    public String seccompProfileJson() {
        String p = seccompProfile();
        if (p == null || p.equals("unconfined")) {
            return p;
        }
        try {
            return java.nio.file.Files.readString(Path.of(p));
        } catch (java.io.IOException e) {
            throw new InvalidArgumentException("cannot read the seccomp profile " + p + ": " + e.getMessage()
                    + " (give a profile's JSON file, unconfined, or leave --seccomp-profile out)");
        }
    }

    public List<String> labels() {
        return labels;
    }

    /** --dns, --dns-search, --dns-opt (daemon.json dns, dns-search, dns-opts). */
    public List<String> dns() {
        return dns;
    }

    public List<String> dnsSearch() {
        return dnsSearch;
    }

    public List<String> dnsOptions() {
        return dnsOptions;
    }

    /** default-address-pools, as "base=CIDR,size=N" each. */
    public List<String> addressPools() {
        return addressPools;
    }

    public String logDriver() {
        return logDriver;
    }

    /** What --log-opt and daemon.json's log-opts gave (not the rotation defaults): a default driver's options. */
    public Map<String, String> givenLogOpts() {
        return givenLogOpts;
    }

    public Map<String, String> logOpts() {
        return logOpts;
    }
}

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

    @Option(names = {"-p", "--pidfile"}, paramLabel = "FILE", description = "Daemon PID file (default EXEC-ROOT/skiffd.pid)")
    Path pidFile;

    @Option(names = "--config-file", paramLabel = "FILE", description = "Daemon configuration file (default /etc/skiff/daemon.json)")
    Path configFile;

    @Option(names = "--default-runtime", paramLabel = "PATH", description = "OCI runtime binary (default runc from PATH)")
    String runtime;

    @Option(names = "--log-opt", paramLabel = "KEY=VALUE",
            description = "Default container log options: max-size (default 20m), max-file (default 5)")
    Map<String, String> logOpts = new LinkedHashMap<>();

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

    /** Whether --log-level was given: a reload of the config file then leaves the level alone, as at start. */
    private boolean logLevelFlag;

    /** Applies the config file under the flags: a flag given on the command line wins. */
    DaemonOptions resolve() {
        logLevelFlag = logLevel != null;
        Path file = configFileInUse();
        if (configFile != null || Files.exists(file)) {
            JsonNode conf = readConfig(file);
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
        String level = textOf(readConfig(file), "log-level");
        return level != null ? level : "info";
    }

    /** The configuration file: --config-file, else the default one (which may not exist). */
    Path configFileInUse() {
        return configFile != null ? configFile : DEFAULT_CONFIG;
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

    /** The default bridge's gateway/prefix (--bip), or "" to choose a free pool. */
    public String bip() {
        return bip;
    }

    public Map<String, String> logOpts() {
        return logOpts;
    }
}

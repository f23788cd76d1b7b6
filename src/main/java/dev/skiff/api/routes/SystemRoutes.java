package dev.skiff.api.routes;

import dev.skiff.api.http.Router;
import dev.skiff.runtime.runc.ComponentVersion;
import dev.skiff.sys.Versions;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** GET /version and GET /info, in the shapes the docker CLI reads. */
public final class SystemRoutes {
    private final Supplier<Counts> counts;
    private final Host host;
    private Supplier<List<ComponentVersion>> componentProbe = List::of;
    private volatile List<ComponentVersion> components;

    /** What /info counts, supplied by the engine and the image store. */
    public record Counts(int containers, int running, int paused, int stopped, int images) {
    }

    /**
     * Facts about this daemon.
     *
     * @param id a stable daemon ID (kept in the data root)
     */
    public record Host(String id, String dataRoot, String runtimePath, String cgroupVersion, boolean debug,
                       String loggingDriver, List<String> labels, String seccompProfile) {
        public Host(String id, String dataRoot, String runtimePath, String cgroupVersion, boolean debug) {
            this(id, dataRoot, runtimePath, cgroupVersion, debug, "json-file", List.of(), "builtin");
        }

    }

    public SystemRoutes(Supplier<Counts> counts, Host host) {
        this.counts = counts;
        this.host = host;
    }

    /**
     * The helpers to list beside the engine (conmon, runc, docker-init), asked once, when first wanted: each is a
     * process to run, and they do not change under a running daemon.
     */
    public SystemRoutes withComponents(Supplier<List<ComponentVersion>> probe) {
        this.componentProbe = probe;
        return this;
    }

    public void register(Router router) {
        router.add("GET", "/version", (req, res) -> res.json(200, version()));
        router.add("GET", "/info", (req, res) -> res.json(200, info()));
    }

    Map<String, Object> version() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("ApiVersion", Versions.API);
        details.put("MinAPIVersion", Versions.MIN_API);
        details.put("GitCommit", "skiff");
        details.put("GoVersion", "java" + Runtime.version().feature());
        details.put("Os", "linux");
        details.put("Arch", goArch());
        details.put("KernelVersion", kernel());
        details.put("BuildTime", "");
        details.put("Experimental", "false"); // a string among the Engine's details, as dockerd writes it
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Platform", Map.of("Name", "Skiff Engine"));
        List<Map<String, Object>> parts = new ArrayList<>();
        parts.add(Map.of("Name", "Engine", "Version", Versions.SKIFF, "Details", details));
        for (ComponentVersion c : components()) {
            parts.add(Map.of("Name", c.name(), "Version", c.version(), "Details", Map.of("GitCommit", c.commit())));
        }
        v.put("Components", parts);
        v.put("Version", Versions.SKIFF);
        v.putAll(details);
        v.put("Experimental", false); // a boolean at the top level
        return v;
    }

    Map<String, Object> info() {
        Counts c = counts.get();
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("ID", host.id());
        i.put("Containers", c.containers());
        i.put("ContainersRunning", c.running());
        i.put("ContainersPaused", c.paused());
        i.put("ContainersStopped", c.stopped());
        i.put("Images", c.images());
        i.put("Driver", "overlay2");
        i.put("DriverStatus", List.of(List.of("Backing Filesystem", backingFilesystem(Path.of(host.dataRoot()))),
                List.of("Supports d_type", "true")));
        i.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge", "host", "null"),
                "Authorization", List.of(), "Log", List.of("fluentd", "gelf", "journald", "json-file", "local", "none", "syslog")));
        i.put("MemoryLimit", true);
        i.put("SwapLimit", true);
        i.put("CpuCfsPeriod", true);
        i.put("CpuCfsQuota", true);
        i.put("CPUShares", true);
        i.put("CPUSet", true);
        i.put("PidsLimit", true);
        i.put("IPv4Forwarding", true);
        i.put("Debug", host.debug());
        i.put("NFd", openFds());
        i.put("OomKillDisable", "1".equals(host.cgroupVersion())); // memory.oom_control: cgroup v1's
        i.put("NGoroutines", Thread.activeCount());
        i.put("SystemTime", Instant.now().toString());
        i.put("LoggingDriver", host.loggingDriver()); // the daemon's --log-driver
        i.put("CgroupDriver", "cgroupfs");
        i.put("CgroupVersion", host.cgroupVersion());
        i.put("NEventsListener", 0);
        i.put("KernelVersion", kernel());
        i.put("OperatingSystem", osName());
        i.put("OSVersion", osRelease("VERSION_ID", ""));
        i.put("OSType", "linux");
        i.put("Architecture", arch());
        i.put("IndexServerAddress", "https://index.docker.io/v1/");
        i.put("RegistryConfig", Map.of("AllowNondistributableArtifactsCIDRs", List.of(),
                "AllowNondistributableArtifactsHostnames", List.of(), "InsecureRegistryCIDRs", List.of("127.0.0.0/8"),
                "IndexConfigs", Map.of(), "Mirrors", List.of()));
        i.put("NCPU", Runtime.getRuntime().availableProcessors());
        i.put("MemTotal", memTotal());
        i.put("DockerRootDir", host.dataRoot());
        i.put("HttpProxy", "");
        i.put("HttpsProxy", "");
        i.put("NoProxy", "");
        i.put("Name", hostname());
        i.put("Labels", host.labels()); // the daemon's --label
        i.put("ExperimentalBuild", false);
        i.put("ServerVersion", Versions.SKIFF);
        i.put("Runtimes", Map.of("runc", Map.of("path", host.runtimePath())));
        i.put("DefaultRuntime", "runc");
        i.put("Swarm", Map.of("NodeID", "", "NodeAddr", "", "LocalNodeState", "inactive", "ControlAvailable", false,
                "Error", "", "RemoteManagers", List.of()));
        // Containers keep running when skiffd stops or dies: that is live restore, always on.
        i.put("LiveRestoreEnabled", true);
        i.put("Isolation", "");
        i.put("InitBinary", "docker-init");
        // docker info prints these IDs as "containerd version", "runc version" and "init version"
        i.put("ContainerdCommit", Map.of("ID", commitOf("conmon")));
        i.put("RuncCommit", Map.of("ID", commitOf("runc")));
        i.put("InitCommit", Map.of("ID", commitOf("docker-init")));
        i.put("SecurityOptions", List.of("name=seccomp,profile=" + host.seccompProfile())); // builtin, a path, unconfined
        i.put("Warnings", List.of());
        return i;
    }

    private List<ComponentVersion> components() {
        List<ComponentVersion> known = components;
        if (known == null) {
            known = List.copyOf(componentProbe.get());
            components = known;
        }
        return known;
    }

    /** A component's commit, or its version when it names no commit; "N/A" for a component not listed. */
    private String commitOf(String name) {
        return components().stream().filter(c -> c.name().equals(name)).findFirst()
                .map(c -> c.commit().isEmpty() || c.commit().equals("unknown") ? c.version() : c.commit()).orElse("N/A");
    }

    /** dockerd's name for the filesystem under the data root ("extfs" for ext2/3/4). */
    static String backingFilesystem(Path dataRoot) {
        try {
            String type = Files.getFileStore(dataRoot).type();
            return type.startsWith("ext") ? "extfs" : type.equals("overlay") ? "overlayfs" : type;
        } catch (IOException e) {
            return "<unknown>";
        }
    }

    /** /info's Architecture is the kernel's machine name (uname -m), as dockerd reports it: "x86_64". */
    private static String arch() {
        String a = System.getProperty("os.arch");
        return a.equals("amd64") ? "x86_64" : a;
    }

    /**
     * /version's Arch is Go's name for it, as dockerd reports it: "amd64", "arm64". Clients compare it with
     * images' Architecture (Testcontainers warns of emulation when they differ), so the two must use one naming.
     */
    static String goArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> System.getProperty("os.arch");
        };
    }

    private static String kernel() {
        return System.getProperty("os.version");
    }

    private static String osName() {
        return osRelease("PRETTY_NAME", "Linux");
    }

    /** A field of /etc/os-release ("12" for VERSION_ID), or {@code otherwise}. */
    private static String osRelease(String key, String otherwise) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith(key + "=")) {
                    return line.substring(key.length() + 1).replace("\"", "");
                }
            }
        } catch (IOException e) {
            // fall through: no os-release is not an error worth reporting here
        }
        return otherwise;
    }

    private static long memTotal() {
        return Math.max(0, dev.skiff.sys.MemInfo.bytes("MemTotal"));
    }

    private static int openFds() {
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            return (int) s.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String hostname() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}

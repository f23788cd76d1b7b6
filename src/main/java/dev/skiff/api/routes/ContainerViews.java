package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.Container;
import dev.skiff.engine.DiskUsage;
import dev.skiff.engine.Engine;
import dev.skiff.engine.StatusText;
import dev.skiff.engine.Times;
import dev.skiff.engine.network.ports.PortViews;
import dev.skiff.image.Image;
import dev.skiff.sys.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Docker's JSON for containers: inspect (ContainerInspectResponse) and list (ContainerSummary). */
final class ContainerViews {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Engine engine;

    ContainerViews(Engine engine) {
        this.engine = engine;
    }

    ObjectNode inspect(Container c, boolean size) {
        Path dir = engine.containers().options().containerDir(c.id());
        ObjectNode o = F.objectNode();
        o.put("Id", c.id());
        o.put("Created", c.created());
        o.put("Path", c.path());
        o.set("Args", Json.MAPPER.valueToTree(c.args()));
        ObjectNode state = Json.MAPPER.valueToTree(c.state());
        dev.skiff.engine.Health health = engine.containers().health().health(c);
        if (health != null) {
            state.set("Health", Json.MAPPER.valueToTree(health));
        }
        o.set("State", state);
        o.put("Image", c.imageId());
        // dockerd names these files only once the container has started (they are made then)
        boolean started = c.state().everStarted();
        Path etc = engine.containers().etcFilesDir(c);
        o.put("ResolvConfPath", started ? etc.resolve("resolv.conf").toString() : "");
        o.put("HostnamePath", started ? etc.resolve("hostname").toString() : "");
        o.put("HostsPath", started ? etc.resolve("hosts").toString() : "");
        // Docker's inspect has no log path for the none driver, which keeps no file
        o.put("LogPath", !started || c.hostConfig().path("LogConfig").path("Type").asText("").equals("none")
                ? "" : c.logPath());
        o.put("Name", c.name());
        o.put("RestartCount", c.restartCount());
        o.put("Driver", "overlay2");
        o.put("Platform", "linux");
        o.put("MountLabel", "");
        o.put("ProcessLabel", "");
        o.put("AppArmorProfile", "");
        List<String> execs = engine.execs().idsOf(c.id());
        o.set("ExecIDs", execs == null ? F.nullNode() : Json.MAPPER.valueToTree(execs));
        o.set("HostConfig", HostConfigDefaults.over(c.hostConfig()));
        o.set("GraphDriver", graphDriver(c));
        if (size) {
            long rw = DiskUsage.of(engine.containers().snapshotter().upperDir(c.id()));
            o.put("SizeRw", rw);
            o.put("SizeRootFs", rw + imageSize(c));
        }
        o.set("Mounts", mountsOf(c));
        o.set("Config", configView(c.config()));
        ObjectNode ns = networks(c, true);
        ns.set("Ports", PortViews.networkSettingsPorts(c.config(), engine.containers().ports().of(c.id()),
                portsShown(c)));
        o.set("NetworkSettings", ns);
        return o;
    }

    /**
     * The name the container was made from while it still names the container's image; its ID once the name went to
     * another image (a newer pull or build) or away (a forced rmi), as dockerd's list shows it.
     */
    private String imageShown(Container c, Map<String, java.util.Optional<String>> idsByName) {
        String name = c.imageName();
        if (name == null || name.isEmpty() || name.equals(c.imageId())) {
            return c.imageId();
        }
        java.util.Optional<String> id = idsByName.computeIfAbsent(name, engine.containers().images()::findId);
        return id.filter(c.imageId()::equals).isPresent() ? name : c.imageId();
    }

    ObjectNode summary(Container c, boolean size) {
        return summary(c, size, new java.util.HashMap<>());
    }

    /** @param idsByName image lookups already made for this list (most containers share a few names) */
    ObjectNode summary(Container c, boolean size, Map<String, java.util.Optional<String>> idsByName) {
        ObjectNode o = F.objectNode();
        o.put("Id", c.id());
        o.set("Names", F.arrayNode().add(c.name()));
        o.put("Image", imageShown(c, idsByName));
        o.put("ImageID", c.imageId());
        // dockerd's list: an argument with a space in it is shown in single quotes ("sh -c 'echo a; sleep 1'")
        o.put("Command", c.args().isEmpty() ? c.path() : c.path() + " " + String.join(" ",
                c.args().stream().map(a -> a.contains(" ") ? "'" + a + "'" : a).toList()));
        Instant created = Times.parse(c.created());
        o.put("Created", created == null ? 0 : created.getEpochSecond());
        o.set("Ports", summaryPorts(c));
        if (size) {
            long rw = DiskUsage.of(engine.containers().snapshotter().upperDir(c.id()));
            o.put("SizeRw", rw);
            o.put("SizeRootFs", rw + imageSize(c));
        }
        o.set("Labels", Json.MAPPER.valueToTree(c.labels()));
        o.put("State", c.state().status());
        o.put("Status", StatusText.of(c.state(), engine.containers().health().health(c), Instant.now()));
        o.putObject("HostConfig").put("NetworkMode", c.hostConfig().path("NetworkMode").asText("bridge"));
        ObjectNode ns = F.objectNode();
        ns.set("Networks", networks(c, false).get("Networks"));
        o.set("NetworkSettings", ns);
        o.set("Mounts", mountsOf(c));
        return o;
    }

    private long imageSize(Container c) {
        return engine.containers().images().find(c.imageId()).map(Image::size).orElse(0L);
    }

    private ObjectNode graphDriver(Container c) {
        ObjectNode g = F.objectNode();
        ObjectNode data = g.putObject("Data");
        Path upper = engine.containers().snapshotter().upperDir(c.id());
        List<String> lowers = new ArrayList<>();
        engine.containers().images().find(c.imageId())
                .ifPresent(img -> engine.containers().images().layerDirs(img).forEach(p -> lowers.add(p.toString())));
        Collections.reverse(lowers); // overlay lists the top layer first
        data.put("LowerDir", String.join(":", lowers));
        data.put("MergedDir", upper.resolveSibling("merged").toString());
        data.put("UpperDir", upper.toString());
        data.put("WorkDir", upper.resolveSibling("work").toString());
        g.put("Name", "overlay2");
        return g;
    }

    /** The volume service's mount points when it is wired, else the binds straight from the HostConfig. */
    private ArrayNode mountsOf(Container c) {
        dev.skiff.engine.ContainerMounts m = engine.containers().mounts();
        if (m == dev.skiff.engine.ContainerMounts.HOST_ONLY) {
            return mounts(c);
        }
        ArrayNode out = F.arrayNode();
        m.inspect(c).forEach(out::add);
        return out;
    }

    /** Bind mounts from HostConfig.Binds and Mounts, in inspect's MountPoint shape. */
    static ArrayNode mounts(Container c) {
        ArrayNode out = F.arrayNode();
        for (com.fasterxml.jackson.databind.JsonNode b : c.hostConfig().path("Binds")) {
            String[] parts = b.asText().split(":");
            if (parts.length >= 2) {
                boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
                out.addObject().put("Type", "bind").put("Source", parts[0]).put("Destination", parts[1])
                        .put("Mode", parts.length > 2 ? parts[2] : "").put("RW", !ro).put("Propagation", "rprivate");
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode m : c.hostConfig().path("Mounts")) {
            out.addObject().put("Type", m.path("Type").asText()).put("Source", m.path("Source").asText(""))
                    .put("Destination", m.path("Target").asText()).put("Mode", "")
                    .put("RW", !m.path("ReadOnly").asBoolean(false)).put("Propagation", "rprivate");
        }
        return out;
    }

    /** The network service's NetworkSettings when the container has endpoints; the fixed shape otherwise. */
    private ObjectNode networks(Container c, boolean full) {
        var networking = engine.containers().networking();
        ObjectNode fromService = networking.networkSettings(c, full);
        if (fromService != null) {
            return fromService;
        }
        ObjectNode ns = networkSettings(c, full);
        String mode = c.hostConfig().path("NetworkMode").asText("");
        if (ns.path("Networks").get(mode) instanceof ObjectNode entry) {
            // as dockerd: the predefined network's id once started, and an endpoint id while the container runs
            String networkId = c.state().everStarted() ? networking.predefinedNetworkId(mode) : "";
            entry.put("NetworkID", networkId);
            entry.put("EndpointID", c.state().hasProcess() && !networkId.isEmpty()
                    ? dev.skiff.engine.ContainerNetworking.derivedEndpointId(networkId, c.id()) : "");
        }
        return ns;
    }

    /** NetworkSettings for none, host and container:ID, which have no endpoints of their own. */
    static ObjectNode networkSettings(Container c, boolean full) {
        ObjectNode ns = F.objectNode();
        if (full) {
            ns.put("Bridge", "");
            ns.put("SandboxID", "");
            ns.put("SandboxKey", c.state().pid() > 0 ? "/proc/" + c.state().pid() + "/ns/net" : "");
            ns.putObject("Ports");
            ns.put("HairpinMode", false);
            ns.put("LinkLocalIPv6Address", "");
            ns.put("LinkLocalIPv6PrefixLen", 0);
            ns.putNull("SecondaryIPAddresses");
            ns.putNull("SecondaryIPv6Addresses");
            ns.put("EndpointID", "");
            ns.put("Gateway", "");
            ns.put("GlobalIPv6Address", "");
            ns.put("GlobalIPv6PrefixLen", 0);
            ns.put("IPAddress", "");
            ns.put("IPPrefixLen", 0);
            ns.put("IPv6Gateway", "");
            ns.put("MacAddress", "");
        }
        ObjectNode networks = ns.putObject("Networks");
        String mode = c.hostConfig().path("NetworkMode").asText("bridge");
        if (!mode.startsWith("container:")) {
            ObjectNode n = networks.putObject(mode);
            n.putNull("IPAMConfig");
            n.putNull("Links");
            n.putNull("Aliases");
            n.put("MacAddress", "");
            n.putNull("DriverOpts");
            n.put("NetworkID", "");
            n.put("EndpointID", "");
            n.put("Gateway", "");
            n.put("IPAddress", "");
            n.put("IPPrefixLen", 0);
            n.put("IPv6Gateway", "");
            n.put("GlobalIPv6Address", "");
            n.put("GlobalIPv6PrefixLen", 0);
            n.putNull("DNSNames");
        }
        return ns;
    }

    /**
     * Whether a container has ports to show: a running one with a network of its own (dockerd shows none for
     * --network none, host or container:ID, whatever was exposed or published).
     */
    private static boolean portsShown(Container c) {
        String mode = c.hostConfig().path("NetworkMode").asText("");
        return c.state().running() && !dev.skiff.engine.network.Network.isEndpointlessMode(mode);
    }

    private com.fasterxml.jackson.databind.node.ArrayNode summaryPorts(Container c) {
        return PortViews.summaryPorts(c.config(), engine.containers().ports().of(c.id()), portsShown(c));
    }

    /** The container's ports as ps's publish= and expose= filters match them (its list entry's). */
    List<dev.skiff.engine.ContainerFilter.Port> filterPorts(Container c) {
        List<dev.skiff.engine.ContainerFilter.Port> out = new java.util.ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode p : summaryPorts(c)) {
            String type = p.path("Type").asText("tcp");
            out.add(new dev.skiff.engine.ContainerFilter.Port(p.path("PrivatePort").asInt() + "/" + type,
                    p.has("PublicPort") ? p.path("PublicPort").asInt() + "/" + type : null));
        }
        return out;
    }

    /** The stored config as dockerd shows it: Env null rather than empty, Volumes always present (null if none). */
    static ObjectNode configView(ObjectNode config) {
        boolean emptyEnv = config.path("Env").isArray() && config.path("Env").isEmpty();
        boolean noVolumes = !config.has("Volumes") || (config.get("Volumes").isObject() && config.get("Volumes").isEmpty());
        if (!emptyEnv && !noVolumes) {
            return config;
        }
        ObjectNode view = config.deepCopy();
        if (emptyEnv) {
            view.putNull("Env");
        }
        if (noVolumes) {
            view.putNull("Volumes");
        }
        return view;
    }
}

package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.Container;
import java.nio.file.Path;
import java.util.List;

/**
 * NetworkSettings of container inspect as Docker fills them: one entry per network under Networks, with the
 * address, gateway and MAC only while the container runs; the deprecated top-level fields mirror the default
 * "bridge" network only, as Docker's do.
 */
final class NetworkSettingsView {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private NetworkSettingsView() {
    }

    static ObjectNode of(Container c, NetworkStore store, boolean full, Path netns) {
        List<Endpoint> endpoints = store.endpointsOf(c.id());
        String mode = c.hostConfig().path("NetworkMode").asText("");
        if (endpoints.isEmpty() && Network.isEndpointlessMode(mode)) {
            return null; // modes without endpoints of their own: the caller shows them
        }
        // a container on networks has an endpoint per network from its creation; none left means it was
        // disconnected from all of them, and dockerd shows no network then
        boolean running = c.state().hasProcess();
        ObjectNode ns = F.objectNode();
        ObjectNode networks = F.objectNode();
        Endpoint legacy = null;
        Network legacyNet = null;
        for (Endpoint e : endpoints) {
            Network n = store.get(e.networkId()).orElse(null);
            if (n == null) {
                continue;
            }
            boolean live = running && e.attached();
            ObjectNode o = networks.putObject(n.name());
            if (e.requestedIp().isEmpty() && e.requestedIp6().isEmpty()) {
                o.putNull("IPAMConfig");
            } else {
                ObjectNode ipam = o.putObject("IPAMConfig");
                if (!e.requestedIp().isEmpty()) {
                    ipam.put("IPv4Address", e.requestedIp());
                }
                if (!e.requestedIp6().isEmpty()) {
                    ipam.put("IPv6Address", e.requestedIp6());
                }
            }
            o.putNull("Links");
            if (e.aliases().isEmpty()) {
                o.putNull("Aliases");
            } else {
                ArrayNode a = o.putArray("Aliases");
                e.aliases().forEach(a::add);
            }
            o.put("MacAddress", live ? e.mac() : "");
            o.putNull("DriverOpts");
            o.put("GwPriority", 0);
            o.put("NetworkID", n.id());
            o.put("EndpointID", live ? e.endpointId() : "");
            o.put("Gateway", live ? n.gateway() : "");
            o.put("IPAddress", live ? e.ip() : "");
            o.put("IPPrefixLen", live ? n.cidr().prefix() : 0);
            boolean live6 = live && n.enableIpv6() && !e.ip6().isEmpty();
            o.put("IPv6Gateway", live6 ? n.ipv6().gateway() : "");
            o.put("GlobalIPv6Address", live6 ? e.ip6() : "");
            o.put("GlobalIPv6PrefixLen", live6 ? n.ipv6().cidr().prefix() : 0);
            if (n.defaultBridge()) {
                o.putNull("DNSNames");
                legacy = live ? e : null;
                legacyNet = n;
            } else {
                ArrayNode d = o.putArray("DNSNames");
                d.add(c.shortName());
                e.aliases().forEach(d::add);
                d.add(c.id().substring(0, 12));
            }
        }
        if (full) {
            ns.put("Bridge", "");
            ns.put("SandboxID", running ? c.id() : "");
            ns.put("SandboxKey", running ? netns.toString() : "");
            ns.putObject("Ports");
            ns.put("HairpinMode", false);
            ns.put("LinkLocalIPv6Address", "");
            ns.put("LinkLocalIPv6PrefixLen", 0);
            ns.putNull("SecondaryIPAddresses");
            ns.putNull("SecondaryIPv6Addresses");
            ns.put("EndpointID", legacy != null ? legacy.endpointId() : "");
            ns.put("Gateway", legacy != null ? legacyNet.gateway() : "");
            boolean legacy6 = legacy != null && legacyNet.enableIpv6() && !legacy.ip6().isEmpty();
            ns.put("GlobalIPv6Address", legacy6 ? legacy.ip6() : "");
            ns.put("GlobalIPv6PrefixLen", legacy6 ? legacyNet.ipv6().cidr().prefix() : 0);
            ns.put("IPAddress", legacy != null ? legacy.ip() : "");
            ns.put("IPPrefixLen", legacy != null ? legacyNet.cidr().prefix() : 0);
            ns.put("IPv6Gateway", legacy6 ? legacyNet.ipv6().gateway() : "");
            ns.put("MacAddress", legacy != null ? legacy.mac() : "");
        }
        ns.set("Networks", networks);
        return ns;
    }
}

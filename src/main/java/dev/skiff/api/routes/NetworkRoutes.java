package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.BodyTypes;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.engine.network.Cidr;
import dev.skiff.engine.network.Endpoint;
import dev.skiff.engine.network.Network;
import dev.skiff.engine.network.NetworkService;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /networks: list with filters, inspect, create, remove, prune, connect and disconnect, in Docker's JSON shapes. */
public final class NetworkRoutes {
    /** dockerd's report: a null list when nothing went (its nil slice), not an empty one. */
    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        List<String> deleted = networks.prune(rq.filters());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("NetworksDeleted", deleted.isEmpty() ? null : deleted);
        rs.json(200, out);
    }

    private final NetworkService networks;

    public NetworkRoutes(NetworkService networks) {
        this.networks = networks;
    }

    public void register(Router router) {
        router.add("GET", "/networks", (rq, rs) -> rs.json(200,
                        networks.list(rq.filters()).stream().map(n -> json(n, false)).toList()))
                .add("POST", "/networks/create", this::create)
                .add("POST", "/networks/prune", this::prune)
                .add("GET", "/networks/{id}", (rq, rs) -> rs.json(200, json(networks.get(rq.pathParam("id")), true)))
                .add("DELETE", "/networks/{id}", (rq, rs) -> {
                    networks.remove(rq.pathParam("id"));
                    rs.empty(204);
                })
                .add("POST", "/networks/{id}/connect", (rq, rs) -> {
                    JsonNode body = object(rq, "NetworkConnectRequest");
                    BodyTypes.check("NetworkConnect", body);
                    networks.connect(rq.pathParam("id"), container(body), body.get("EndpointConfig"));
                    rs.empty(200);
                })
                .add("POST", "/networks/{id}/disconnect", (rq, rs) -> {
                    JsonNode body = object(rq, "NetworkDisconnectRequest");
                    BodyTypes.check("NetworkDisconnect", body);
                    networks.disconnect(rq.pathParam("id"), container(body), body.path("Force").asBoolean(false));
                    rs.empty(200);
                });
    }

    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        JsonNode body = object(rq, "NetworkCreateRequest");
        BodyTypes.check("NetworkCreate", body);
        refuseSwarmAndConfigNetworks(body);
        if (body.has("EnableIPv4") && !body.path("EnableIPv4").asBoolean(true)) {
            throw new InvalidArgumentException("IPv6-only networks are not supported by Skiff yet: leave out --ipv4=false"
                    + " (--ipv6 makes a dual-stack network)");
        }
        JsonNode ipam = body.path("IPAM");
        String ipamDriver = ipam.path("Driver").asText("default");
        if (!ipamDriver.isEmpty() && !ipamDriver.equals("default")) {
            throw new InvalidArgumentException("IPAM driver \"" + ipamDriver + "\" is not supported (only \"default\")");
        }
        List<NetworkService.IpamConfig> configs = new ArrayList<>();
        for (JsonNode c : ipam.path("Config")) {
            Map<String, String> aux = new LinkedHashMap<>();
            c.path("AuxiliaryAddresses").properties().forEach(e -> aux.put(e.getKey(), e.getValue().asText("")));
            configs.add(new NetworkService.IpamConfig(c.path("Subnet").asText(""), c.path("IPRange").asText(""),
                    c.path("Gateway").asText(""), aux));
        }
        Network n = networks.create(new NetworkService.CreateRequest(body.path("Name").asText(""),
                body.path("Driver").asText("bridge"), body.path("Internal").asBoolean(false),
                body.path("Attachable").asBoolean(false), body.path("CheckDuplicate").asBoolean(true), configs,
                strings(body.get("Labels")), strings(body.get("Options")), body.path("EnableIPv6").asBoolean(false)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", n.id());
        out.put("Warning", "");
        rs.json(201, out);
    }

    /**
     * What dockerd refuses outside swarm mode, in its words (an ingress network, a swarm or global scope), and the
     * configuration-only networks Skiff does not build yet: refused rather than made as plain bridges.
     */
    private static void refuseSwarmAndConfigNetworks(JsonNode body) {
        if (body.path("Ingress").asBoolean(false)) {
            throw new ForbiddenException("Ingress network can only be global scope network");
        }
        String scope = body.path("Scope").asText("");
        if (scope.equals("swarm")) {
            throw new ForbiddenException("cannot create a swarm scoped network when swarm is not active");
        }
        if (!scope.isEmpty() && !scope.equals("local")) {
            throw new ForbiddenException(SwarmRoutes.NOT_A_MANAGER);
        }
        if (body.path("ConfigOnly").asBoolean(false) || !body.path("ConfigFrom").path("Network").asText("").isEmpty()) {
            throw new InvalidArgumentException("configuration-only networks (--config-only, --config-from) are not supported"
                    + " by Skiff: give the network its --subnet, --gateway and -o options directly");
        }
    }

    private static JsonNode object(HttpRequest rq, String what) throws Exception {
        JsonNode body = rq.json(JsonNode.class);
        if (body == null || !body.isObject()) {
            throw new InvalidArgumentException("the request body must be a JSON object (" + what + ")");
        }
        return body;
    }

    private static String container(JsonNode body) {
        String c = body.path("Container").asText("");
        if (c.isEmpty()) {
            throw new InvalidArgumentException("no container given: say which container (Container)");
        }
        return c;
    }

    /** Docker's Network object; Containers only for inspect (list leaves it empty, as dockerd does). */
    Map<String, Object> json(Network n, boolean withContainers) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("Name", n.name());
        o.put("Id", n.id());
        o.put("Created", n.created());
        o.put("Scope", "local");
        o.put("Driver", n.driver());
        o.put("EnableIPv4", n.bridgeDriver());
        o.put("EnableIPv6", n.enableIpv6());
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("Driver", "default");
        ipam.put("Options", n.predefined() ? null : Map.of());
        if (n.bridgeDriver()) {
            Map<String, Object> cfg = new LinkedHashMap<>();
            cfg.put("Subnet", n.subnet());
            if (!n.ipRange().isEmpty()) {
                cfg.put("IPRange", n.ipRange());
            }
            cfg.put("Gateway", n.gateway());
            if (!n.auxAddresses().isEmpty()) {
                cfg.put("AuxiliaryAddresses", new java.util.TreeMap<>(n.auxAddresses()));
            }
            if (n.enableIpv6()) {
                Map<String, Object> cfg6 = new LinkedHashMap<>();
                cfg6.put("Subnet", n.ipv6().subnet());
                if (!n.ipv6().ipRange().isEmpty()) {
                    cfg6.put("IPRange", n.ipv6().ipRange());
                }
                cfg6.put("Gateway", n.ipv6().gateway());
                ipam.put("Config", List.of(cfg, cfg6));
            } else {
                ipam.put("Config", List.of(cfg));
            }
        } else {
            ipam.put("Config", null);
        }
        o.put("IPAM", ipam);
        o.put("Internal", n.internal());
        o.put("Attachable", n.attachable());
        o.put("Ingress", false);
        o.put("ConfigFrom", Map.of("Network", ""));
        o.put("ConfigOnly", false);
        Map<String, Object> containers = new LinkedHashMap<>();
        if (withContainers && n.bridgeDriver()) {
            int prefix = Cidr.parse(n.subnet()).prefix();
            for (Endpoint e : networks.endpoints(n)) {
                if (!e.attached()) {
                    continue;
                }
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("Name", networks.nameOf(e.containerId()));
                c.put("EndpointID", e.endpointId());
                c.put("MacAddress", e.mac());
                c.put("IPv4Address", e.ip() + "/" + prefix);
                c.put("IPv6Address", e.ip6().isEmpty() ? "" : e.ip6() + "/" + n.ipv6().cidr().prefix());
                containers.put(e.containerId(), c);
            }
        }
        if (withContainers) {
            for (var c : networks.sharingTheHostsOrNone(n)) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("Name", c.shortName());
                e.put("EndpointID", dev.skiff.engine.ContainerNetworking.derivedEndpointId(n.id(), c.id()));
                e.put("MacAddress", "");
                e.put("IPv4Address", "");
                e.put("IPv6Address", "");
                containers.put(c.id(), e);
            }
        }
        o.put("Containers", containers);
        o.put("Options", n.options());
        o.put("Labels", n.labels());
        return o;
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw new InvalidArgumentException("network labels and options must be JSON objects of strings");
        }
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

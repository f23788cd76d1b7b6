package dev.skiff.engine.network.ports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.sys.NatPorts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Published ports as docker shows them: inspect's NetworkSettings.Ports ({"80/tcp":[{"HostIp":"0.0.0.0",
 * "HostPort":"8080"}],"443/tcp":null}) and the Ports list of GET /containers/json. Both are empty for a
 * container that does not run, as dockerd clears them when the endpoint goes.
 */
public final class PortViews {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private PortViews() {
    }

    /** NetworkSettings.Ports: every exposed port, null when unpublished, and every published one. */
    public static ObjectNode networkSettingsPorts(JsonNode config, List<PortBinding> bindings, boolean running) {
        ObjectNode out = F.objectNode();
        if (!running) {
            return out;
        }
        for (Map.Entry<String, List<PortBinding>> e : byKey(config, bindings).entrySet()) {
            if (e.getValue().isEmpty()) {
                out.putNull(e.getKey());
                continue;
            }
            ArrayNode list = out.putArray(e.getKey());
            for (PortBinding b : e.getValue()) {
                list.addObject().put("HostIp", hostIp(b)).put("HostPort", Integer.toString(b.hostPort()));
            }
        }
        return out;
    }

    /** ContainerSummary.Ports: {"IP","PrivatePort","PublicPort","Type"}, IP and PublicPort only when published. */
    public static ArrayNode summaryPorts(JsonNode config, List<PortBinding> bindings, boolean running) {
        ArrayNode out = F.arrayNode();
        if (!running) {
            return out;
        }
        for (Map.Entry<String, List<PortBinding>> e : byKey(config, bindings).entrySet()) {
            String[] protoPort = NatPorts.splitProtoPort(e.getKey());
            int privatePort = Integer.parseInt(protoPort[1]);
            if (e.getValue().isEmpty()) {
                out.addObject().put("PrivatePort", privatePort).put("Type", protoPort[0]);
            }
            for (PortBinding b : e.getValue()) {
                out.addObject().put("IP", hostIp(b)).put("PrivatePort", privatePort).put("PublicPort", b.hostPort())
                        .put("Type", protoPort[0]);
            }
        }
        return out;
    }

    /** "80/tcp" → its bindings (possibly none), exposed ports first in config order, then published-only ones. */
    private static Map<String, List<PortBinding>> byKey(JsonNode config, List<PortBinding> bindings) {
        Map<String, List<PortBinding>> out = new LinkedHashMap<>();
        JsonNode exposed = config == null ? null : config.get("ExposedPorts");
        if (exposed != null && exposed.isObject()) {
            exposed.fieldNames().forEachRemaining(k -> {
                String[] protoPort = NatPorts.splitProtoPort(k);
                if (protoPort[1].matches("\\d{1,5}")) {
                    out.putIfAbsent(Integer.parseInt(protoPort[1]) + "/" + protoPort[0], new ArrayList<>());
                }
            });
        }
        for (PortBinding b : bindings) {
            out.computeIfAbsent(b.containerPort() + "/" + b.protocol(), k -> new ArrayList<>()).add(b);
        }
        return out;
    }

    private static String hostIp(PortBinding b) {
        return b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp();
    }
}

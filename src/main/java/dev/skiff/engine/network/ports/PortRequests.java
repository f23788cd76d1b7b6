package dev.skiff.engine.network.ports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.NatPorts;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads what a container asks to publish: HostConfig.PortBindings ("80/tcp" → [{HostIp, HostPort}]) and, with
 * HostConfig.PublishAllPorts, every Config.ExposedPorts key without a binding of its own, on a random port.
 * Everything here is untrusted API input: it is checked with docker's rules and messages, and bounded.
 */
public final class PortRequests {
    /** More than any real container publishes (docker's own -p 1-65535 aside); refuses absurd requests early. */
    static final int MAX_PORTS = 4096;

    private PortRequests() {
    }

    /**
     * Checks the ports at create, as dockerd's validatePortBindings does; throws 400 on the first bad one. A
     * container that joins another's namespace cannot publish: the ports belong to that other container.
     */
    public static void validate(ObjectNode config, ObjectNode hostConfig) {
        List<PortRequest> requests = of(config, hostConfig);
        String mode = hostConfig == null ? "" : hostConfig.path("NetworkMode").asText("");
        if (mode.startsWith("container:") && (!requests.isEmpty() || hasBindings(hostConfig))) {
            throw new InvalidArgumentException("conflicting options: port publishing and the container type network mode"
                    + " (publish the ports on the container whose network this one joins)");
        }
    }

    /** dockerd's create warning when ports are asked for on the host's own network, where there is nothing to map. */
    public static List<String> networkModeWarnings(ObjectNode hostConfig) {
        if (hostConfig != null && hostConfig.path("NetworkMode").asText("").equals("host") && hasBindings(hostConfig)) {
            return List.of("Published ports are discarded when using host network mode");
        }
        return List.of();
    }

    private static boolean hasBindings(ObjectNode hostConfig) {
        JsonNode b = hostConfig.get("PortBindings");
        return b != null && b.isObject() && !b.isEmpty();
    }

    /** The ports to publish, ordered by protocol and container port so allocation is repeatable. */
    public static List<PortRequest> of(ObjectNode config, ObjectNode hostConfig) {
        JsonNode bindings = hostConfig == null ? null : hostConfig.get("PortBindings");
        Map<String, JsonNode> byKey = new TreeMap<>(PortRequests::compareKeys);
        if (bindings != null && bindings.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = bindings.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                byKey.put(e.getKey(), e.getValue());
            }
        } else if (bindings != null && !bindings.isNull()) {
            throw new InvalidArgumentException("invalid HostConfig.PortBindings: expected an object like "
                    + "{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}");
        }
        boolean publishAll = hostConfig != null && hostConfig.path("PublishAllPorts").asBoolean(false);
        JsonNode exposed = config == null ? null : config.get("ExposedPorts");
        if (publishAll && exposed != null && exposed.isObject()) {
            exposed.fieldNames().forEachRemaining(k -> {
                JsonNode own = byKey.get(k);
                if (own == null || own.isNull() || own.isEmpty()) {
                    byKey.put(k, null); // no binding of its own: a random port on every address
                }
            });
        }
        List<PortRequest> out = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : byKey.entrySet()) {
            tooMany(out);
            String[] protoPort = key(e.getKey());
            int containerPort = Integer.parseInt(protoPort[1]);
            JsonNode list = e.getValue();
            if (list != null && !list.isNull() && !list.isArray()) {
                throw new InvalidArgumentException("invalid port bindings for " + e.getKey() + ": expected a list of {HostIp, HostPort}");
            }
            if (list == null || list.isNull() || list.isEmpty()) {
                if (publishAll) {
                    out.add(new PortRequest(protoPort[0], containerPort, "", 0, 0));
                }
                continue;
            }
            for (JsonNode b : list) {
                out.add(request(protoPort[0], containerPort, b));
                tooMany(out);
            }
        }
        tooMany(out);
        return out;
    }

    private static void tooMany(List<PortRequest> requests) {
        if (requests.size() > MAX_PORTS) {
            throw new InvalidArgumentException("too many published ports (more than " + MAX_PORTS
                    + "; publish fewer, or use --network host)");
        }
    }

    /** "80/tcp" (or "80", tcp) → {proto, port}; ranges are not keys, as in dockerd. */
    private static String[] key(String raw) {
        String[] protoPort = NatPorts.splitProtoPort(raw);
        String proto = protoPort[0].toLowerCase(java.util.Locale.ROOT);
        try {
            NatPorts.validateProto(proto);
            int[] r = NatPorts.range(protoPort[1]);
            if (r[0] != r[1] || protoPort[1].contains("-")) {
                throw new IllegalArgumentException("a range");
            }
            return new String[] {proto, Integer.toString(r[0])};
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("invalid port specification: \"" + protoPort[1] + "\"");
        }
    }

    private static PortRequest request(String proto, int containerPort, JsonNode b) {
        String ip = b.path("HostIp").asText("").trim();
        String hostPort = b.path("HostPort").asText("").trim();
        if (ip.startsWith("[") && ip.endsWith("]")) {
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !NatPorts.isIp(ip)) {
            throw new InvalidArgumentException("invalid host IP address: \"" + ip + "\" (give an IP address such as 127.0.0.1, or leave it empty for every address)");
        }
        if (ip.contains(":") && proto.equals("sctp")) {
            throw new InvalidArgumentException("cannot publish port " + containerPort + "/sctp on " + ip
                    + ": SCTP ports are published on IPv4 addresses only (publish on one, or leave the address empty)");
        }
        if (ip.contains(":")) {
            ip = dev.skiff.engine.network.Cidr6.canonical(ip); // one spelling per address: [::1] and [0::1] are one
        }
        if (ip.equals("0.0.0.0")) {
            ip = "";
        }
        int[] range = {0, 0};
        if (!hostPort.isEmpty()) {
            try {
                range = NatPorts.range(NatPorts.splitProtoPort(hostPort)[1]);
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException("invalid port specification: \"" + hostPort + "\"");
            }
        }
        if (range[0] == 0 && range[1] != 0) {
            range[0] = 1;
        }
        return new PortRequest(proto, containerPort, ip, range[0], range[1]);
    }

    private static int compareKeys(String a, String b) {
        String[] pa = NatPorts.splitProtoPort(a);
        String[] pb = NatPorts.splitProtoPort(b);
        int c = pa[0].compareTo(pb[0]);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(pa[1].length(), pb[1].length()); // numeric order for digit strings
        return c != 0 ? c : a.compareTo(b);
    }
}

package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.sys.NatPorts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * -p/--publish and --expose as docker's CLI turns them into Config.ExposedPorts and HostConfig.PortBindings:
 * the long form "published=8080,target=80,protocol=udp" is rewritten to "8080:80/udp" first, ranges become
 * one entry per port, and every published port is exposed too. Bad specs are run's own errors ("skiff: ..."), in docker's words.
 */
final class PortSpecs {
    private PortSpecs() {
    }

    /** Config.ExposedPorts: every port of -p and of --expose ("80", "8000-8002/udp"), in the order given. */
    static Map<String, Object> exposedPorts(List<String> publish, List<String> expose) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NatPorts.Mapping m : mappings(publish)) {
            out.putIfAbsent(m.key(), Map.of());
        }
        for (String e : expose) {
            if (e.contains(":")) {
                throw CliFailure.invalid("invalid port format for --expose: " + e);
            }
            String[] protoPort = NatPorts.splitProtoPort(e);
            int[] range;
            try {
                range = NatPorts.range(protoPort[1]);
            } catch (IllegalArgumentException ex) {
                throw CliFailure.invalid("invalid range format for --expose: " + e + ", error: " + ex.getMessage());
            }
            for (int p = range[0]; p <= range[1]; p++) {
                out.putIfAbsent(p + "/" + protoPort[0], Map.of());
            }
        }
        return out;
    }

    /** HostConfig.PortBindings: "80/tcp" -> [{"HostIp":"","HostPort":"8080"}, ...]. */
    static Map<String, Object> bindings(List<String> publish) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (NatPorts.Mapping m : mappings(publish)) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) out.computeIfAbsent(m.key(), k -> new ArrayList<>());
            Map<String, String> b = new LinkedHashMap<>();
            b.put("HostIp", m.hostIp());
            b.put("HostPort", m.hostPort());
            list.add(b);
        }
        return out;
    }

    static List<NatPorts.Mapping> mappings(List<String> publish) {
        List<NatPorts.Mapping> out = new ArrayList<>();
        for (String raw : publish) {
            try {
                out.addAll(NatPorts.parseSpec(standardNotation(raw)));
            } catch (IllegalArgumentException e) {
                throw CliFailure.invalid(e.getMessage());
            }
        }
        return out;
    }

    /** convertToStandardNotation: "target=80,published=8080,protocol=udp" -> "8080:80/udp"; other specs unchanged. */
    static String standardNotation(String raw) {
        if (!raw.contains("=")) {
            return raw;
        }
        Map<String, String> params = new LinkedHashMap<>();
        params.put("protocol", "tcp");
        for (String param : raw.split(",", -1)) {
            int eq = param.indexOf('=');
            if (eq <= 0) {
                throw CliFailure.invalid("invalid publish opts format (should be name=value but got '" + param + "')");
            }
            params.put(param.substring(0, eq), param.substring(eq + 1));
        }
        return params.getOrDefault("published", "") + ":" + params.getOrDefault("target", "") + "/" + params.get("protocol");
    }
}

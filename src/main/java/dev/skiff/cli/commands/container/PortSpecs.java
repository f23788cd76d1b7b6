package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** -p [ip:][hostPort:]containerPort[/proto] as ExposedPorts and HostConfig.PortBindings. */
final class PortSpecs {
    private PortSpecs() {
    }

    record Spec(String ip, String hostPort, String containerPort, String proto) {
        String key() {
            return containerPort + "/" + proto;
        }
    }

    static Spec parse(String raw) {
        String proto = "tcp";
        String s = raw;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            proto = s.substring(slash + 1);
            s = s.substring(0, slash);
        }
        String ip = "";
        String host = "";
        String container;
        int last = s.lastIndexOf(':');
        if (last < 0) {
            container = s;
        } else {
            container = s.substring(last + 1);
            String rest = s.substring(0, last);
            int colon = rest.lastIndexOf(':');
            if (colon < 0) {
                host = rest;
            } else {
                ip = rest.substring(0, colon).replace("[", "").replace("]", "");
                host = rest.substring(colon + 1);
            }
        }
        if (!container.matches("\\d+(-\\d+)?") || !host.matches("(\\d+(-\\d+)?)?")) {
            throw CliFailure.usage("invalid argument \"" + raw + "\" for \"-p, --publish\" flag: invalid port specification: \"" + raw + "\"");
        }
        return new Spec(ip, host, container, proto);
    }

    static Map<String, Object> exposedPorts(List<String> specs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String s : specs) {
            out.put(parse(s).key(), Map.of());
        }
        return out;
    }

    static Map<String, Object> bindings(List<String> specs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String s : specs) {
            Spec p = parse(s);
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) out.computeIfAbsent(p.key(), k -> new ArrayList<>());
            Map<String, String> b = new LinkedHashMap<>();
            b.put("HostIp", p.ip());
            b.put("HostPort", p.hostPort());
            list.add(b);
        }
        return out;
    }
}

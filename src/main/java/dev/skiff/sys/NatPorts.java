package dev.skiff.sys;

import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Docker's github.com/docker/go-connections/nat port grammar (the version docker CLI 28 vendors), written once
 * for the CLI (-p, --expose) and the daemon (HostConfig.PortBindings), so both accept and refuse the same
 * strings with docker's messages. Every failure is an {@link IllegalArgumentException} carrying that message.
 */
public final class NatPorts {
    /** Longer than any real spec ("[ffff:...]:65535-65535:65535-65535/sctp"); a bound on untrusted input. */
    private static final int MAX_SPEC = 256;

    private NatPorts() {
    }

    /** One container port of a -p spec: hostPort "" = any free port, "8000-8010" = any free port of that range. */
    public record Mapping(String protocol, int containerPort, String hostIp, String hostPort) {
        /** The PortBindings / ExposedPorts key, "80/tcp". */
        public String key() {
            return containerPort + "/" + protocol;
        }
    }

    /** nat.ParsePortSpec: "[ip:][hostPort:]containerPort[/proto]", ranges expanded to one mapping per port. */
    public static List<Mapping> parseSpec(String raw) {
        if (raw.length() > MAX_SPEC) {
            throw new IllegalArgumentException("invalid port specification: too long (" + raw.length() + " characters)");
        }
        String[] parts = splitParts(raw);
        String ip = parts[0];
        String hostPort = parts[1];
        String[] protoPort = splitProtoPort(parts[2]);
        String proto = protoPort[0].toLowerCase(Locale.ROOT);
        String containerPort = protoPort[1];
        if (containerPort.isEmpty()) {
            throw new IllegalArgumentException("no port specified: " + raw + "<empty>");
        }
        validateProto(proto);
        if (!ip.isEmpty() && ip.charAt(0) == '[') {
            if (!ip.endsWith("]")) {
                throw new IllegalArgumentException("invalid IP address " + ip + ": missing ']' in address");
            }
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !isIp(ip)) {
            throw new IllegalArgumentException("invalid IP address: " + ip);
        }
        int[] container;
        try {
            container = range(containerPort);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid containerPort: " + containerPort);
        }
        int[] host = {0, 0};
        if (!hostPort.isEmpty()) {
            try {
                host = range(hostPort);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid hostPort: " + hostPort);
            }
            if (container[1] - container[0] != host[1] - host[0] && container[1] != container[0]) {
                // a host range with one container port means "any free port of the range"
                throw new IllegalArgumentException("invalid ranges specified for container and host Ports: "
                        + containerPort + " and " + hostPort);
            }
        }
        int count = container[1] - container[0] + 1;
        List<Mapping> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String h = "";
            if (!hostPort.isEmpty()) {
                h = Integer.toString(host[0] + i);
                if (count == 1 && host[0] != host[1]) {
                    h += "-" + host[1];
                }
            }
            out.add(new Mapping(proto, container[0] + i, ip, h));
        }
        return out;
    }

    /** splitParts: the last two colon-separated fields are the ports, everything before them the address. */
    private static String[] splitParts(String raw) {
        String[] p = raw.split(":", -1);
        return switch (p.length) {
            case 1 -> new String[] {"", "", p[0]};
            case 2 -> new String[] {"", p[0], p[1]};
            case 3 -> new String[] {p[0], p[1], p[2]};
            default -> new String[] {
                    String.join(":", java.util.Arrays.copyOf(p, p.length - 2)), p[p.length - 2], p[p.length - 1]};
        };
    }

    /** nat.SplitProtoPort: {proto, port}; "80" and "80/" are tcp, "" and "/udp" have no port. */
    public static String[] splitProtoPort(String raw) {
        String[] parts = raw.split("/", -1);
        if (raw.isEmpty() || parts[0].isEmpty()) {
            return new String[] {"", ""};
        }
        if (parts.length == 1 || parts[1].isEmpty()) {
            return new String[] {"tcp", parts[0]};
        }
        return new String[] {parts[1], parts[0]};
    }

    public static void validateProto(String proto) {
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw new IllegalArgumentException("invalid proto: " + proto);
        }
    }

    /**
     * nat.ParsePortRange: "80" or "8000-8010" as {start, end}; the messages are Go's strconv ones, which docker
     * shows for --expose ("strconv.ParseUint: parsing "x": invalid syntax").
     */
    public static int[] range(String ports) {
        if (ports.isEmpty()) {
            throw new IllegalArgumentException("empty string specified for ports");
        }
        int dash = ports.indexOf('-');
        if (dash < 0) {
            int p = parseUint16(ports);
            return new int[] {p, p};
        }
        String[] parts = ports.split("-", -1);
        int start = parseUint16(parts[0]);
        int end = parseUint16(parts[1]);
        if (end < start) {
            throw new IllegalArgumentException("invalid range specified for port: " + ports);
        }
        return new int[] {start, end};
    }

    /** strconv.ParseUint(s, 10, 16): decimal digits only, at most 65535. */
    private static int parseUint16(String s) {
        if (s.isEmpty() || s.length() > 16 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + s + "\": invalid syntax");
        }
        long v = Long.parseLong(s);
        if (v > 65535) {
            throw new IllegalArgumentException("strconv.ParseUint: parsing \"" + s + "\": value out of range");
        }
        return (int) v;
    }

    /** net.ParseIP: a dotted quad without leading zeros, or an IPv6 literal; never a name lookup. */
    public static boolean isIp(String s) {
        if (s.contains(":")) {
            try {
                Inet6Address.ofLiteral(s);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return isIpv4(s);
    }

    public static boolean isIpv4(String s) {
        String[] octets = s.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String o : octets) {
            if (o.isEmpty() || o.length() > 3 || !o.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (o.length() > 1 && o.charAt(0) == '0') || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }
}

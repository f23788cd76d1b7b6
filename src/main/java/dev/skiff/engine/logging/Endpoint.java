package dev.skiff.engine.logging;

import dev.skiff.errors.InvalidArgumentException;
import java.util.Set;

/**
 * A driver's address option: {@code tcp://host:port}, {@code udp://host:port}, {@code tcp+tls://host:port},
 * {@code unix:///path}, {@code unixgram:///path}, as dockerd parses them (a missing port is the driver's default).
 */
public record Endpoint(String scheme, String host, int port, String path) {
    public boolean isUnix() {
        return scheme.startsWith("unix");
    }

    @Override
    public String toString() {
        return isUnix() ? scheme + "://" + path : scheme + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * @param option the option's name, for messages ("syslog-address")
     * @param schemes the schemes the driver speaks
     */
    public static Endpoint parse(String text, String option, Set<String> schemes, int defaultPort) {
        int sep = text.indexOf("://");
        if (sep <= 0) {
            throw new InvalidArgumentException("invalid " + option + " '" + text + "': give it as PROTOCOL://HOST:PORT"
                    + " (" + String.join(", ", schemes.stream().sorted().toList()) + ")");
        }
        String scheme = text.substring(0, sep).toLowerCase(java.util.Locale.ROOT);
        String rest = text.substring(sep + 3);
        if (!schemes.contains(scheme)) {
            throw new InvalidArgumentException("unsupported scheme: '" + scheme + "' in " + option + " " + text
                    + " (use " + String.join(", ", schemes.stream().sorted().toList()) + ")");
        }
        if (scheme.startsWith("unix")) {
            if (!rest.startsWith("/")) {
                throw new InvalidArgumentException("invalid " + option + " '" + text + "': a unix socket needs an"
                        + " absolute path (" + scheme + ":///run/log.sock)");
            }
            return new Endpoint(scheme, "", 0, rest);
        }
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String host;
        String port = null;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new InvalidArgumentException("invalid " + option + " '" + text + "': unclosed [ in the address");
            }
            host = hostPort.substring(1, close);
            if (hostPort.length() > close + 1) {
                if (hostPort.charAt(close + 1) != ':') {
                    throw new InvalidArgumentException("invalid " + option + " '" + text + "'");
                }
                port = hostPort.substring(close + 2);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw new InvalidArgumentException("invalid " + option + " '" + text + "': no host");
        }
        int p = defaultPort;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = -1;
            }
            if (p < 1 || p > 65535) {
                throw new InvalidArgumentException("invalid port '" + port + "' in " + option + " " + text);
            }
        } else if (defaultPort <= 0) {
            throw new InvalidArgumentException("invalid " + option + " '" + text + "': give the port, "
                    + scheme + "://" + host + ":PORT");
        }
        return new Endpoint(scheme, host, p, "");
    }
}

package dev.skiff.cli.client;

import dev.skiff.errors.InvalidArgumentException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds and parses the daemon address the way the docker CLI does: the -H flag, then SKIFF_HOST,
 * then DOCKER_HOST, then the default socket.
 */
public final class Hosts {
    public static final String DEFAULT = "unix:///run/skiff/skiff.sock";
    static final int DEFAULT_TCP_PORT = 2375;

    private Hosts() {
    }

    /** A parsed address: a unix socket path, or a TCP host and port. */
    public record Endpoint(String address, Path socket, String host, int port) {
        public boolean unix() {
            return socket != null;
        }
    }

    /** The address to use: {@code flag} (may be null) first, then the environment, then {@link #DEFAULT}. */
    public static String resolve(String flag, Map<String, String> env) {
        for (String candidate : new String[] {flag, env.get("SKIFF_HOST"), env.get("DOCKER_HOST")}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate.trim();
            }
        }
        return DEFAULT;
    }

    public static Endpoint parse(String address) {
        if (address.startsWith("unix://")) {
            String path = address.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw invalid(address);
            }
            return new Endpoint(address, Path.of(path), null, 0);
        }
        if (address.startsWith("tcp://")) {
            URI uri;
            try {
                uri = URI.create(address);
            } catch (IllegalArgumentException e) {
                throw invalid(address);
            }
            if (uri.getHost() == null) {
                throw invalid(address);
            }
            return new Endpoint(address, null, uri.getHost(), uri.getPort() < 0 ? DEFAULT_TCP_PORT : uri.getPort());
        }
        throw invalid(address);
    }

    private static InvalidArgumentException invalid(String address) {
        return new InvalidArgumentException("invalid daemon address \"" + address
                + "\" (use unix:///path/to.sock or tcp://host:port in -H, SKIFF_HOST or DOCKER_HOST)");
    }
}

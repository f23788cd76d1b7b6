package dev.skiff.api.http;

import dev.skiff.errors.InvalidArgumentException;
import java.net.URI;
import java.nio.file.Path;

/** Where the server listens: {@code unix:///run/skiff/skiff.sock} or {@code tcp://host:port}. */
public record ListenAddress(String scheme, Path socketPath, String host, int port) {
    public static ListenAddress parse(String address) {
        if (address.startsWith("unix://")) {
            String path = address.substring("unix://".length());
            if (!path.startsWith("/")) {
                throw invalid(address);
            }
            return new ListenAddress("unix", Path.of(path), null, 0);
        }
        if (address.startsWith("tcp://")) {
            URI uri = URI.create(address);
            if (uri.getHost() == null || uri.getPort() < 0) {
                throw invalid(address);
            }
            return new ListenAddress("tcp", null, uri.getHost(), uri.getPort());
        }
        throw invalid(address);
    }

    public boolean unix() {
        return scheme.equals("unix");
    }

    @Override
    public String toString() {
        return unix() ? "unix://" + socketPath : "tcp://" + host + ":" + port;
    }

    private static InvalidArgumentException invalid(String address) {
        return new InvalidArgumentException("invalid listen address \"" + address
                + "\" (use unix:///path/to.sock or tcp://host:port)");
    }
}

package dev.skiff.api.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/** A real HttpServer on a temp unix socket and a loopback TCP port, for tests. */
final class TestServer implements AutoCloseable {
    final HttpServer server;
    final Path socket;
    final int port;

    TestServer(Router router, Path dir) throws IOException {
        this.socket = dir.resolve("api.sock");
        this.server = new HttpServer(router, List.of(new VersionFilter(), new LoggingFilter()));
        server.start(List.of("unix://" + socket, "tcp://127.0.0.1:0"));
        this.port = server.boundAddresses().stream()
                .filter(a -> a instanceof InetSocketAddress)
                .mapToInt(a -> ((InetSocketAddress) a).getPort())
                .findFirst().orElseThrow();
    }

    String unixHost() {
        return "unix://" + socket;
    }

    String tcpHost() {
        return "tcp://127.0.0.1:" + port;
    }

    String httpBase() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stop();
    }
}

package dev.skiff.engine.network.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The IPv6 side of a published port: relayed to an IPv4 server, half-closes passed on, the port held. */
class PortProxyTest {
    private static boolean hostHasIpv6() {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** An IPv4 server that answers each connection with "got:" and everything it read until the client's EOF. */
    private static ServerSocket upperServer() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.ofLiteral("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    byte[] all = s.getInputStream().readAllBytes();
                    OutputStream out = s.getOutputStream();
                    out.write(("got:" + new String(all, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    interface Binder {
        java.io.Closeable bind() throws IOException;
    }

    /**
     * Binds (and closes) at once: the port was let go when the proxy's close returned (a socket is released only
     * once no thread is inside it, which close waits for).
     */
    private static void bindsAtOnce(Binder binder) throws IOException {
        binder.bind().close();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aConnectionOnIpv6_reachesTheIpv4Target_andItsHalfCloseIsPassedOn() throws Exception {
        assumeThat(hostHasIpv6()).as("this host has IPv6").isTrue();
        try (ServerSocket target = upperServer()) {
            int port = freePort();
            try (PortProxy proxy = PortProxy.listen(port, () -> new InetSocketAddress("127.0.0.1", target.getLocalPort()))) {
                for (String payload : List.of("hello", "x".repeat(300_000))) {
                    try (Socket c = new Socket(InetAddress.ofLiteral("::1"), port)) {
                        c.getOutputStream().write(payload.getBytes(StandardCharsets.UTF_8));
                        c.shutdownOutput(); // the server answers only after its EOF: the half-close went through
                        InputStream in = c.getInputStream();
                        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got:" + payload);
                    }
                }
                // the port is held against other programs, on IPv4 too
                assertThatThrownBy(() -> {
                    try (ServerSocket other = new ServerSocket()) {
                        other.bind(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), port));
                    }
                }).isInstanceOf(IOException.class);
            }
            // let go with the proxy (to a server that, as servers do, sets SO_REUSEADDR: the proxy's connections
            // linger in TIME_WAIT)
            bindsAtOnce(() -> {
                ServerSocket again = new ServerSocket();
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress(InetAddress.ofLiteral("::"), port));
                return again;
            });
        }
    }

    @Test
    void withoutATargetNow_aConnectionIsClosed_andATakenPortIsRefused() throws Exception {
        assumeThat(hostHasIpv6()).as("this host has IPv6").isTrue();
        int port = freePort();
        try (PortProxy proxy = PortProxy.listen(port, () -> null)) {
            try (Socket c = new Socket(InetAddress.ofLiteral("::1"), port)) {
                assertThat(c.getInputStream().read()).isEqualTo(-1);
            }
            assertThatThrownBy(() -> PortProxy.listen(port, () -> null)).isInstanceOf(IOException.class)
                    .matches(e -> !PortProxy.ipv6Unavailable((Exception) e), "a taken port, not a host without IPv6");
        }
    }

    /** A UDP server on 127.0.0.1 that answers each datagram with "re:" and the datagram. */
    private static java.net.DatagramSocket udpEchoServer() throws IOException {
        java.net.DatagramSocket server = new java.net.DatagramSocket(0, InetAddress.ofLiteral("127.0.0.1"));
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[2048];
            while (!server.isClosed()) {
                try {
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    server.receive(p);
                    byte[] reply = ("re:" + new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8);
                    server.send(new java.net.DatagramPacket(reply, reply.length, p.getSocketAddress()));
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static String ask(java.net.DatagramSocket client, int port, String text) throws IOException {
        byte[] out = text.getBytes(StandardCharsets.UTF_8);
        client.send(new java.net.DatagramPacket(out, out.length, new InetSocketAddress(InetAddress.ofLiteral("::1"), port)));
        byte[] in = new byte[2048];
        java.net.DatagramPacket reply = new java.net.DatagramPacket(in, in.length);
        client.receive(reply);
        assertThat(reply.getPort()).as("the reply comes from the published port").isEqualTo(port);
        return new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8);
    }

    @Test
    void udpOnIpv6_reachesTheIpv4Target_andRepliesReturnToEachClient() throws Exception {
        assumeThat(hostHasIpv6()).as("this host has IPv6").isTrue();
        try (java.net.DatagramSocket target = udpEchoServer()) {
            int port;
            try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0)) {
                port = probe.getLocalPort();
            }
            try (UdpPortProxy proxy = UdpPortProxy.listen(port, () -> new InetSocketAddress("127.0.0.1", target.getLocalPort()));
                 java.net.DatagramSocket a = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0));
                 java.net.DatagramSocket b = new java.net.DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("::1"), 0))) {
                a.setSoTimeout(5000);
                b.setSoTimeout(5000);
                assertThat(ask(a, port, "one")).isEqualTo("re:one");
                assertThat(ask(b, port, "two")).isEqualTo("re:two");
                assertThat(ask(a, port, "three")).isEqualTo("re:three");
                // the port is held against other programs, on IPv4 too
                assertThatThrownBy(() -> new java.net.DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("0.0.0.0"), port)).close())
                        .isInstanceOf(IOException.class);
            }
            // let go with the proxy, replies in flight or not
            bindsAtOnce(() -> new java.net.DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("::"), port)));
        }
    }

    @Test
    void theDaemonsProbe_servesAllAddressTcpOnIpv6_andShowsItAsDockerDoes() throws Exception {
        assumeThat(hostHasIpv6()).as("this host has IPv6").isTrue();
        SocketPortProbe probe = SocketPortProbe.relayingIpv6();
        PortAllocator allocator = new PortAllocator(EphemeralRange.fromKernel(), probe);
        int port = freePort();
        var hostConfig = (com.fasterxml.jackson.databind.node.ObjectNode) dev.skiff.sys.Json.MAPPER.readTree(
                "{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"" + port + "\"}],\"81/udp\":[{\"HostPort\":\"\"}],"
                        + "\"82/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"\"}]}}");
        allocator.allocate("c1", PortRequests.of(dev.skiff.sys.Json.MAPPER.createObjectNode(), hostConfig));
        assertThat(allocator.shown("c1")).extracting(PortBinding::hostIp, PortBinding::containerPort)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("", 80), org.assertj.core.groups.Tuple.tuple("::", 80),
                        org.assertj.core.groups.Tuple.tuple("", 81), org.assertj.core.groups.Tuple.tuple("::", 81),
                        org.assertj.core.groups.Tuple.tuple("127.0.0.1", 82));
        List<PortBinding> shown = allocator.shown("c1");
        assertThat(shown.get(shown.indexOf(new PortBinding("tcp", 80, "", port)) + 1)).isEqualTo(new PortBinding("tcp", 80, "::", port));
        assertThat(allocator.held("c1")).hasSize(3);
        allocator.release("c1");
        assertThat(allocator.shown("c1")).isEmpty();
    }
}

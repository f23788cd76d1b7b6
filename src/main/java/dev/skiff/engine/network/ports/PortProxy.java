package dev.skiff.engine.network.ports;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's IPv6 side of a TCP port published on every address (or the port of a container published on one IPv6
 * address, `-p [::1]:8080:80`), relayed to the container's IPv4 address, as dockerd's docker-proxy serves it: an
 * IPv4-only container has no IPv6 address to NAT to (the kernel cannot NAT from one family to the other), and a
 * dual-stack one's IPv6 DNAT leaves ::1 out (loopback cannot be routed out to the bridge), so `curl
 * http://[::1]:8080/` (and a client that resolves localhost to ::1 first) would otherwise be refused.
 *
 * <p>The listener is one dual-stack socket on [::]:PORT, which also holds the IPv4 port against other programs (the
 * probe's job). IPv4 connections never reach it while the container's DNAT rules are in place, which take the
 * packets before local delivery; one that does (rules being replaced) is relayed the same way. Each connection is two
 * virtual threads copying through 64 KiB buffers; an end's EOF is passed on as a half-close. Closing the proxy (the
 * port let go) drops its connections, as stopping docker-proxy does. The relay lives in the daemon: a daemon
 * restart drops IPv6 connections in flight (IPv4 ones, in the kernel's NAT, live on), and the restarted daemon
 * listens again when it takes the container's ports over.
 */
final class PortProxy implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(PortProxy.class);
    private static final int BUFFER = 64 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;

    private final ServerSocketChannel server;
    private final Supplier<InetSocketAddress> target;
    /** Whether it listens on [::] (the IPv6 side of a port published on every address), not on one address. */
    private final boolean everyAddress;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private Thread acceptor;

    private PortProxy(ServerSocketChannel server, Supplier<InetSocketAddress> target, boolean everyAddress) {
        this.server = server;
        this.target = target;
        this.everyAddress = everyAddress;
    }

    /**
     * Listens on [::]:{@code port} and relays each connection to {@code target} (asked per connection: null
     * refuses it, e.g. while the container has no address).
     *
     * @throws IOException when the port is taken, or the host has no IPv6 ({@link #ipv6Unavailable})
     */
    static PortProxy listen(int port, Supplier<InetSocketAddress> target) throws IOException {
        return listen(new InetSocketAddress(InetAddress.ofLiteral("::"), port), target);
    }

    /**
     * Listens on {@code address} (an IPv6 one: [::] for every address, or one such as ::1 that a port was published
     * on, `-p [::1]:8080:80`) and relays as {@link #listen(int, Supplier)} does.
     */
    static PortProxy listen(InetSocketAddress address, Supplier<InetSocketAddress> target) throws IOException {
        // SO_REUSEADDR, as every server: the proxy's own connections in TIME_WAIT must not keep the port from the
        // container's next start; a socket listening on the port still makes the bind fail
        ServerSocketChannel server = bind(ServerSocketChannel.open(StandardProtocolFamily.INET6), address, true);
        PortProxy proxy = new PortProxy(server, target, address.getAddress().isAnyLocalAddress());
        proxy.acceptor = Thread.ofVirtual().name("port-proxy-" + address.getPort()).start(proxy::acceptLoop);
        return proxy;
    }

    /** Whether it serves the IPv6 side of a port published on every address (not a port of one IPv6 address). */
    boolean everyAddress() {
        return everyAddress;
    }

    /** Binds {@code channel} to {@code address}; closes it when that fails. */
    static <C extends java.nio.channels.NetworkChannel> C bind(C channel, InetSocketAddress address, boolean reuseAddress)
            throws IOException {
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, reuseAddress);
            channel.bind(address);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether {@code e} says the host cannot do IPv6 at all (no module, or disabled), not that the port is taken. */
    static boolean ipv6Unavailable(Exception e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof UnsupportedOperationException || m.contains("Address family not supported")
                || m.contains("Protocol family unavailable") || m.contains("Cannot assign requested address");
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            SocketChannel client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("published port {}: accept failed: {}", port(), e.getMessage());
                }
                return;
            }
            Thread.ofVirtual().name("port-proxy-conn").start(() -> relay(client));
        }
    }

    private void relay(SocketChannel client) {
        open.add(client);
        SocketChannel upstream = null;
        try {
            InetSocketAddress to = target.get();
            if (to == null || !server.isOpen()) {
                return;
            }
            upstream = SocketChannel.open(StandardProtocolFamily.INET);
            open.add(upstream);
            if (!server.isOpen()) {
                return; // closed meanwhile: its close may have missed these two
            }
            upstream.socket().connect(to, CONNECT_TIMEOUT_MS);
            SocketChannel up = upstream;
            Thread back = Thread.ofVirtual().name("port-proxy-back").start(() -> pump(up, client));
            pump(client, upstream);
            back.join();
        } catch (IOException e) {
            LOG.debug("published port {}: relay ended: {}", port(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            close(client);
            close(upstream);
        }
    }

    /** Copies until {@code from} ends, then half-closes {@code to}; an error closes both. */
    private void pump(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            close(from);
            close(to);
        }
    }

    private int port() {
        try {
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void close(SocketChannel c) {
        if (c == null) {
            return;
        }
        open.remove(c);
        try {
            c.close();
        } catch (IOException e) {
            // gone already
        }
    }

    /**
     * Stops listening and drops every connection. Returns once the port is free: a channel closed while a thread
     * is blocked in its accept gives its socket back only when that thread has left it.
     */
    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel c : open) {
            close(c);
        }
        try {
            acceptor.join(java.time.Duration.ofSeconds(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

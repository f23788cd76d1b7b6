package dev.skiff.engine.network.ports;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's IPv6 side of a UDP port published on every address, as {@link PortProxy} is for TCP and as
 * docker-proxy relays UDP: one dual-stack datagram socket on [::]:PORT (holding the IPv4 port too, where the
 * container's DNAT rules take IPv4 datagrams before they reach it). Each client address gets a "flow": a socket
 * connected to the container's address, through which its datagrams go, and whose replies go back to it from the
 * published port. A flow idle for {@link #IDLE_MILLIS} ends (docker-proxy's 90 s); past {@link #MAX_FLOWS} the
 * longest idle one is ended first.
 */
final class UdpPortProxy implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(UdpPortProxy.class);
    static final long IDLE_MILLIS = 90_000;
    static final int MAX_FLOWS = 1024;
    private static final int MAX_DATAGRAM = 65_535;

    private final DatagramChannel server;
    private final Supplier<InetSocketAddress> target;
    private final boolean everyAddress;
    /** client address → its flow, in least recently used order. */
    private final Map<SocketAddress, Flow> flows = new LinkedHashMap<>(16, 0.75f, true);
    private Thread receiver;

    private UdpPortProxy(DatagramChannel server, Supplier<InetSocketAddress> target, boolean everyAddress) {
        this.server = server;
        this.target = target;
        this.everyAddress = everyAddress;
    }

    /**
     * Binds [::]:{@code port} and relays each client's datagrams to {@code target} (asked when a client's flow
     * begins: null drops its datagrams, e.g. while the container has no address).
     *
     * @throws IOException when the port is taken, or the host has no IPv6
     */
    static UdpPortProxy listen(int port, Supplier<InetSocketAddress> target) throws IOException {
        return listen(new InetSocketAddress(java.net.InetAddress.ofLiteral("::"), port), target);
    }

    /** As {@link #listen(int, Supplier)}, on {@code address}: [::], or the one IPv6 address a port was published on. */
    static UdpPortProxy listen(InetSocketAddress address, Supplier<InetSocketAddress> target) throws IOException {
        DatagramChannel server = PortProxy.bind(DatagramChannel.open(StandardProtocolFamily.INET6), address, false);
        UdpPortProxy proxy = new UdpPortProxy(server, target, address.getAddress().isAnyLocalAddress());
        proxy.receiver = Thread.ofVirtual().name("udp-proxy-" + address.getPort()).start(proxy::receiveLoop);
        return proxy;
    }

    /** Whether it serves the IPv6 side of a port published on every address (not a port of one IPv6 address). */
    boolean everyAddress() {
        return everyAddress;
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        while (server.isOpen()) {
            SocketAddress client;
            try {
                buffer.clear();
                client = server.receive(buffer);
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("published UDP port: receive failed: {}", e.getMessage());
                }
                return;
            }
            buffer.flip();
            Flow flow = flowOf(client);
            if (flow != null) {
                try {
                    flow.upstream.write(buffer);
                    flow.touched = System.currentTimeMillis();
                } catch (IOException e) {
                    flow.close(); // the container refused it (ICMP): the client's next datagram starts anew
                }
            }
        }
    }

    /** The flow of {@code client}, begun when it has none; null when there is no target now. */
    private Flow flowOf(SocketAddress client) {
        synchronized (flows) {
            Flow flow = flows.get(client);
            if (flow != null && flow.upstream.isOpen()) {
                return flow;
            }
            expire();
            InetSocketAddress to = target.get();
            if (to == null) {
                return null;
            }
            try {
                DatagramChannel upstream = DatagramChannel.open(StandardProtocolFamily.INET);
                upstream.connect(to);
                flow = new Flow(client, upstream);
                flows.put(client, flow);
                flow.thread = Thread.ofVirtual().name("udp-proxy-flow").start(flow::replies);
                return flow;
            } catch (IOException e) {
                LOG.debug("published UDP port: cannot reach {}: {}", to, e.getMessage());
                return null;
            }
        }
    }

    /**
     * Ends idle flows (their own receive ends them too, within {@link #IDLE_MILLIS} more), then the least recently
     * used ones while the cap is reached. Called holding {@link #flows}.
     */
    private void expire() {
        long now = System.currentTimeMillis();
        flows.values().removeIf(f -> {
            boolean done = now - f.touched > IDLE_MILLIS || !f.upstream.isOpen();
            if (done) {
                f.closeChannel();
            }
            return done;
        });
        Iterator<Flow> oldest = flows.values().iterator();
        while (flows.size() >= MAX_FLOWS && oldest.hasNext()) {
            oldest.next().closeChannel();
            oldest.remove();
        }
    }

    /**
     * Stops listening and ends every flow. Returns once the port is free: the socket is released only when no thread
     * is inside it any more, the receiver or a flow sending a reply from it.
     */
    @Override
    public void close() throws IOException {
        server.close();
        List<Thread> threads = new ArrayList<>();
        threads.add(receiver);
        synchronized (flows) {
            for (Flow f : flows.values()) {
                f.closeChannel();
                threads.add(f.thread);
            }
            flows.clear();
        }
        long deadline = System.nanoTime() + 2_000_000_000L;
        try {
            for (Thread t : threads) {
                long left = deadline - System.nanoTime();
                if (t != null && left > 0) {
                    t.join(java.time.Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One client's datagrams to the container and back. */
    private final class Flow {
        final SocketAddress client;
        final DatagramChannel upstream;
        volatile long touched = System.currentTimeMillis();
        volatile Thread thread;

        Flow(SocketAddress client, DatagramChannel upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        /**
         * Sends the container's replies back to the client from the published port, until the flow ends: closed, or
         * idle for {@link #IDLE_MILLIS} (the receive times out to look).
         */
        void replies() {
            byte[] data = new byte[MAX_DATAGRAM];
            java.net.DatagramPacket packet = new java.net.DatagramPacket(data, data.length);
            try {
                upstream.socket().setSoTimeout((int) Math.min(IDLE_MILLIS, Integer.MAX_VALUE));
                while (upstream.isOpen()) {
                    try {
                        packet.setLength(data.length);
                        upstream.socket().receive(packet);
                    } catch (java.net.SocketTimeoutException e) {
                        if (System.currentTimeMillis() - touched >= IDLE_MILLIS) {
                            break;
                        }
                        continue;
                    }
                    server.send(ByteBuffer.wrap(data, 0, packet.getLength()), client);
                    touched = System.currentTimeMillis();
                }
            } catch (IOException e) {
                // the container refused (ICMP) or the flow was closed: it ends
            }
            close();
        }

        void close() {
            synchronized (flows) {
                flows.remove(client, this);
            }
            closeChannel();
        }

        void closeChannel() {
            try {
                upstream.close();
            } catch (IOException e) {
                // gone already
            }
        }
    }
}

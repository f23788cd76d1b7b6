package dev.skiff.engine.network.dns;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One container's DNS endpoint: its UDP and TCP listeners, its TCP clients, its answerer and upstreams. Closing
 * it (the handle {@link EmbeddedDns#serve} returns) closes its sockets; answers to forwards still in flight are
 * then dropped. Everything but {@link #close} runs on the server's loop thread.
 */
final class Served implements EmbeddedDns.Handle {
    private static final Logger LOG = LoggerFactory.getLogger(Served.class);
    /** TCP clients one container may hold open at once; more are refused. */
    static final int MAX_TCP_CLIENTS = 64;
    /** Packets read per readiness, so one busy container cannot starve the others. */
    private static final int PACKETS_PER_TURN = 64;

    final EmbeddedDns server;
    final Answerer answerer;
    final List<InetSocketAddress> upstreams;
    private final EmbeddedDns.Listeners listeners;
    private final Set<TcpClient> clients = new HashSet<>();
    /** Forwards in flight for this container (bounded per container by the forwarder). */
    int inFlight;
    private boolean closed;
    private Selector selector;

    Served(EmbeddedDns server, EmbeddedDns.Listeners listeners, Answerer answerer, List<InetSocketAddress> upstreams) {
        this.server = server;
        this.listeners = listeners;
        this.answerer = answerer;
        this.upstreams = upstreams;
    }

    /** Where this endpoint listens (UDP and TCP share the port). */
    InetSocketAddress address() {
        return listeners.address();
    }

    void register(Selector selector) throws ClosedChannelException {
        this.selector = selector;
        listeners.udp().register(selector, SelectionKey.OP_READ, new EmbeddedDns.Handler() {
            @Override
            public void ready(SelectionKey key) {
                readDatagrams();
            }

            @Override
            public void fail(Exception e) {
                LOG.warn("DNS: UDP listener at {} failed", address(), e);
            }
        });
        listeners.tcp().register(selector, SelectionKey.OP_ACCEPT, new EmbeddedDns.Handler() {
            @Override
            public void ready(SelectionKey key) throws IOException {
                accept(selector);
            }

            @Override
            public void fail(Exception e) {
                LOG.warn("DNS: TCP listener at {} failed", address(), e);
            }
        });
    }

    boolean isClosed() {
        return closed;
    }

    private void readDatagrams() {
        ByteBuffer buffer = server.receiveBuffer;
        for (int i = 0; i < PACKETS_PER_TURN && !closed; i++) {
            SocketAddress client;
            buffer.clear();
            try {
                client = listeners.udp().receive(buffer);
            } catch (IOException e) {
                LOG.debug("DNS: receive at {}", address(), e);
                return;
            }
            if (client == null) {
                return;
            }
            buffer.flip();
            if (buffer.remaining() > Answerer.MAX_UDP_PAYLOAD) {
                continue; // no real query is this large
            }
            byte[] packet = new byte[buffer.remaining()];
            buffer.get(packet);
            try {
                handleDatagram(packet, client);
            } catch (RuntimeException e) { // a bug for one packet must not end the listener
                LOG.warn("DNS: query from {} failed", client, e);
            }
        }
    }

    private void handleDatagram(byte[] packet, SocketAddress client) {
        switch (answerer.answer(packet, true)) {
            case Answerer.Reply reply -> sendDatagram(reply.wire(), client);
            case Answerer.Forward ignored ->
                    server.forwarder.forward(this, packet, false, answer -> sendDatagram(answer, client));
            case Answerer.Drop ignored -> {
            }
        }
    }

    private void sendDatagram(byte[] wire, SocketAddress client) {
        if (closed) {
            return;
        }
        try {
            listeners.udp().send(ByteBuffer.wrap(wire), client); // 0 when the socket buffer is full: lost, as UDP may
        } catch (IOException e) {
            LOG.debug("DNS: answer to {} lost", client, e);
        }
    }

    private void accept(Selector selector) throws IOException {
        SocketChannel channel;
        while ((channel = listeners.tcp().accept()) != null) {
            if (closed || clients.size() >= MAX_TCP_CLIENTS) {
                closeQuietly(channel);
                continue;
            }
            channel.configureBlocking(false);
            TcpClient client = new TcpClient(this, channel);
            clients.add(client);
            client.register(selector);
        }
    }

    void forget(TcpClient client) {
        clients.remove(client);
    }

    /** Closes this endpoint's sockets; safe from any thread, and more than once. */
    @Override
    public void close() {
        if (server.isLoopThread()) {
            shutdown();
            return;
        }
        try {
            server.onLoop(() -> {
                shutdown();
                // a registered channel's socket is closed when its key leaves the selector: do that now, so the
                // address is free when close() returns (a restarted container may serve again at once)
                selector.selectNow();
                return null;
            });
        } catch (IllegalStateException serverClosed) {
            listeners.close(); // the loop has ended (and closed everything) or is stuck: close them here
        }
    }

    void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        listeners.close();
        for (TcpClient client : new ArrayList<>(clients)) {
            client.close();
        }
        server.forget(this);
    }

    static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("DNS: close", e);
        }
    }
}

package dev.skiff.engine.network.dns;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One forwarded query: asks the container's upstreams in order, each on a fresh socket (a random source port)
 * with a fresh random ID, until one answers within {@link Forwarder#UPSTREAM_TIMEOUT_MILLIS}. An upstream that
 * refuses, resets or times out passes the query to the next; when none is left the client gets SERVFAIL.
 * Answers whose ID does not match are ignored (UDP) or end that attempt (TCP). Runs on the loop thread.
 */
final class UpstreamExchange implements EmbeddedDns.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);
    private static final int MAX_TCP_ANSWER = 65535;

    private final Forwarder forwarder;
    private final Served origin;
    private final byte[] clientQuery;
    private final byte[] query;
    private final int id;
    private final boolean tcp;
    private final Consumer<byte[]> deliver;
    private int next;
    private AbstractSelectableChannel channel;
    private Timers.Timer timer;
    private boolean done;
    // TCP only: the framed query going out, then the answer's length and body coming in
    private ByteBuffer out;
    private ByteBuffer length;
    private ByteBuffer body;

    UpstreamExchange(Forwarder forwarder, Served origin, byte[] clientQuery, boolean tcp, Consumer<byte[]> deliver) {
        this.forwarder = forwarder;
        this.origin = origin;
        this.clientQuery = clientQuery;
        this.tcp = tcp;
        this.deliver = deliver;
        this.id = forwarder.random.nextInt(0x10000);
        this.query = clientQuery.clone();
        query[0] = (byte) (id >> 8);
        query[1] = (byte) id;
    }

    /** Asks the next upstream, or answers SERVFAIL when every one has been tried. */
    void tryNextUpstream() {
        closeChannel();
        if (done) {
            return;
        }
        if (origin.isClosed()) {
            abandon();
            return;
        }
        while (next < origin.upstreams.size()) {
            InetSocketAddress upstream = origin.upstreams.get(next++);
            try {
                open(upstream);
                timer = forwarder.server.timers.schedule(Forwarder.UPSTREAM_TIMEOUT_MILLIS, this::tryNextUpstream);
                return;
            } catch (IOException e) {
                LOG.debug("DNS: upstream {} unreachable", upstream, e);
                closeChannel();
            }
        }
        finish(Answerer.serverFailure(clientQuery, !tcp));
    }

    private void open(InetSocketAddress upstream) throws IOException {
        if (tcp) {
            SocketChannel socket = SocketChannel.open();
            channel = socket;
            socket.configureBlocking(false);
            out = ByteBuffer.allocate(2 + query.length).putShort((short) query.length).put(query).flip();
            length = ByteBuffer.allocate(2);
            body = null;
            boolean connected = socket.connect(upstream);
            int interest = connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT;
            socket.register(forwarder.server.selector(), interest, this);
        } else {
            DatagramChannel socket = DatagramChannel.open();
            channel = socket;
            socket.configureBlocking(false);
            socket.connect(upstream); // only this upstream's datagrams reach the socket
            socket.write(ByteBuffer.wrap(query));
            socket.register(forwarder.server.selector(), SelectionKey.OP_READ, this);
        }
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        if (done) {
            return;
        }
        if (!tcp) {
            ByteBuffer buffer = forwarder.server.receiveBuffer;
            buffer.clear();
            if (((DatagramChannel) channel).read(buffer) <= 0) {
                return;
            }
            buffer.flip();
            byte[] answer = new byte[buffer.remaining()];
            buffer.get(answer);
            if (isOurAnswer(answer)) {
                finish(answer);
            } // else: stray or spoofed; keep waiting for the real one
            return;
        }
        SocketChannel socket = (SocketChannel) channel;
        if (key.isConnectable() && socket.finishConnect()) {
            key.interestOps(SelectionKey.OP_WRITE);
        }
        if (key.isWritable()) {
            socket.write(out);
            if (!out.hasRemaining()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        }
        if (key.isReadable()) {
            readTcp(socket);
        }
    }

    private void readTcp(SocketChannel socket) throws IOException {
        while (true) {
            ByteBuffer target = body == null ? length : body;
            int n = socket.read(target);
            if (n < 0) {
                throw new EOFException("upstream closed the connection before answering");
            }
            if (n == 0) {
                return;
            }
            if (target.hasRemaining()) {
                continue;
            }
            if (body == null) {
                int size = length.getShort(0) & 0xffff;
                if (size < 12 || size > MAX_TCP_ANSWER) {
                    throw new IOException("upstream sent a " + size + "-byte message");
                }
                body = ByteBuffer.allocate(size);
                continue;
            }
            byte[] answer = body.array();
            if (!isOurAnswer(answer)) {
                throw new IOException("upstream answered another query");
            }
            finish(answer);
            return;
        }
    }

    private boolean isOurAnswer(byte[] answer) {
        return answer.length >= 12 && (answer[2] & 0x80) != 0
                && ((answer[0] & 0xff) << 8 | (answer[1] & 0xff)) == id;
    }

    @Override
    public void fail(Exception e) {
        LOG.debug("DNS: upstream exchange failed, trying the next", e);
        tryNextUpstream();
    }

    private void finish(byte[] answer) {
        end();
        if (!origin.isClosed()) {
            answer[0] = clientQuery[0];
            answer[1] = clientQuery[1];
            deliver.accept(answer);
        }
    }

    /** Ends the exchange without answering (the server is closing). */
    void abandon() {
        end();
    }

    private void end() {
        done = true;
        if (timer != null) {
            timer.cancel();
        }
        closeChannel();
        forwarder.finished(this, origin);
    }

    private void closeChannel() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        Served.closeQuietly(channel);
        channel = null;
    }
}

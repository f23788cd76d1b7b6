package dev.skiff.engine.network.dns;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One DNS-over-TCP client of a container (RFC 7766): length-prefixed queries, possibly several in a row, answered
 * in whatever order they complete. Bounded: a query of at most {@link #MAX_QUERY} bytes, {@link #MAX_PENDING}
 * forwards and {@link #MAX_QUEUED} unsent answers at once, and {@link #IDLE_MILLIS} without traffic; past those
 * the query gets SERVFAIL or the connection is closed. Runs on the server's loop thread.
 */
final class TcpClient implements EmbeddedDns.Handler {
    private static final Logger LOG = LoggerFactory.getLogger(TcpClient.class);
    static final int MAX_QUERY = 16 * 1024;
    static final int MAX_PENDING = 16;
    static final int MAX_QUEUED = 64;
    static final long IDLE_MILLIS = 10_000;

    private final Served origin;
    private final SocketChannel channel;
    private final ByteBuffer length = ByteBuffer.allocate(2);
    private ByteBuffer body;
    private final Deque<ByteBuffer> out = new ArrayDeque<>();
    private SelectionKey key;
    private int pending;
    private boolean inputEnded;
    private boolean closed;
    private long lastActive = System.nanoTime();

    TcpClient(Served origin, SocketChannel channel) {
        this.origin = origin;
        this.channel = channel;
    }

    void register(Selector selector) throws ClosedChannelException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
        scheduleIdleCheck(IDLE_MILLIS);
    }

    @Override
    public void ready(SelectionKey key) throws IOException {
        lastActive = System.nanoTime();
        if (key.isWritable()) {
            flush();
        }
        if (!closed && key.isValid() && key.isReadable()) {
            read();
        }
    }

    @Override
    public void fail(Exception e) {
        LOG.debug("DNS: TCP client {} failed", channel, e);
        close();
    }

    private void read() throws IOException {
        while (!closed && !inputEnded) {
            ByteBuffer target = body == null ? length : body;
            int n = channel.read(target);
            if (n < 0) {
                inputEnded = true;
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
                closeWhenDone();
                return;
            }
            if (n == 0) {
                return;
            }
            if (target.hasRemaining()) {
                continue;
            }
            if (body == null) {
                int size = length.getShort(0) & 0xffff;
                if (size < 12 || size > MAX_QUERY) {
                    close(); // not a DNS message we would ever answer: end the stream rather than guess its framing
                    return;
                }
                body = ByteBuffer.allocate(size);
            } else {
                byte[] query = body.array();
                body = null;
                length.clear();
                handle(query);
            }
        }
    }

    private void handle(byte[] query) {
        switch (origin.answerer.answer(query, false)) {
            case Answerer.Reply reply -> send(reply.wire());
            case Answerer.Forward ignored -> {
                if (pending >= MAX_PENDING) {
                    send(Answerer.serverFailure(query, false));
                    return;
                }
                pending++;
                origin.server.forwarder.forward(origin, query, true, answer -> {
                    pending--;
                    send(answer);
                    closeWhenDone();
                });
            }
            case Answerer.Drop ignored -> close();
        }
    }

    private void send(byte[] message) {
        if (closed) {
            return;
        }
        if (out.size() >= MAX_QUEUED) {
            close(); // the client does not read its answers
            return;
        }
        ByteBuffer frame = ByteBuffer.allocate(2 + message.length);
        frame.putShort((short) message.length).put(message).flip();
        out.add(frame);
        try {
            flush();
        } catch (IOException e) {
            fail(e);
        }
    }

    private void flush() throws IOException {
        while (!out.isEmpty()) {
            ByteBuffer head = out.peek();
            channel.write(head);
            if (head.hasRemaining()) {
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                return;
            }
            out.poll();
        }
        if (key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        }
        closeWhenDone();
    }

    /** After the client has half-closed, the connection ends once every answer is out. */
    private void closeWhenDone() {
        if (inputEnded && pending == 0 && out.isEmpty()) {
            close();
        }
    }

    private void scheduleIdleCheck(long millis) {
        origin.server.timers.schedule(millis, () -> {
            if (closed) {
                return;
            }
            long idle = (System.nanoTime() - lastActive) / 1_000_000;
            if (idle >= IDLE_MILLIS && pending == 0) {
                close();
            } else {
                scheduleIdleCheck(pending > 0 ? IDLE_MILLIS : Math.max(1, IDLE_MILLIS - idle));
            }
        });
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        out.clear();
        Served.closeQuietly(channel);
        origin.forget(this);
    }
}

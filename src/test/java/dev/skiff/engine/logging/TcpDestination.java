package dev.skiff.engine.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * A TCP destination for the sink tests: accepts connections and hands every connection's bytes, as they come, to a
 * decoder that adds the lines it completes. {@link #restart()} closes everything and listens on the same port again.
 */
public final class TcpDestination implements LogSinkContract.Destination {
    /** Decodes what has arrived on one connection: consumes whole frames from the buffer, adds their lines. */
    public interface Decoder {
        void decode(ByteArrayOutputStream buffer, List<LogSinkContract.Received> out, Socket connection) throws IOException;
    }

    private final Decoder decoder;
    private final List<LogSinkContract.Received> received = new CopyOnWriteArrayList<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private final int port;

    private final javax.net.ServerSocketFactory factory;

    public TcpDestination(Decoder decoder) throws IOException {
        this(decoder, javax.net.ServerSocketFactory.getDefault());
    }

    /** With a TLS server socket factory: a tcp+tls destination. */
    public TcpDestination(Decoder decoder, javax.net.ServerSocketFactory factory) throws IOException {
        this.decoder = decoder;
        this.factory = factory;
        this.server = factory.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = server.getLocalPort();
        accept(server);
    }

    public int port() {
        return port;
    }

    private void accept(ServerSocket s) {
        Thread.ofVirtual().start(() -> {
            while (!s.isClosed()) {
                try {
                    Socket c = s.accept();
                    connections.add(c);
                    Thread.ofVirtual().start(() -> read(c));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private void read(Socket c) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] b = new byte[65536];
        try (InputStream in = c.getInputStream()) {
            int n;
            while ((n = in.read(b)) > 0) {
                buf.write(b, 0, n);
                synchronized (this) {
                    decoder.decode(buf, received, c);
                }
            }
        } catch (IOException e) {
            // closed by restart or close
        }
    }

    @Override
    public List<LogSinkContract.Received> received() {
        return received;
    }

    @Override
    public void restart() throws Exception {
        pause();
        Thread.sleep(50);
        resume();
    }

    /** Goes away: closes every connection and stops listening (a destination that is down). */
    public void pause() throws IOException {
        server.close();
        for (Socket c : connections) {
            c.close();
        }
        connections.clear();
    }

    /** Listens again at the same port. */
    public void resume() throws IOException {
        ServerSocket s = factory.createServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        accept(s);
    }

    @Override
    public void close() {
        try {
            server.close();
            for (Socket c : connections) {
                c.close();
            }
        } catch (IOException e) {
            // test teardown
        }
    }

    /** Splits the buffer at each {@code delimiter}, passing every whole frame to {@code frame}. */
    public static void frames(ByteArrayOutputStream buffer, byte delimiter, BiConsumer<byte[], Integer> frame) {
        byte[] all = buffer.toByteArray();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == delimiter) {
                frame.accept(java.util.Arrays.copyOfRange(all, start, i), i - start);
                start = i + 1;
            }
        }
        buffer.reset();
        buffer.write(all, start, all.length - start);
    }
}

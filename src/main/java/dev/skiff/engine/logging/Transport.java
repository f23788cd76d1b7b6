package dev.skiff.engine.logging;

import dev.skiff.runtime.unix.Posix;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * Bytes to a log destination. Stream transports connect when first written and again after a failure, so a
 * destination that restarts is reached again; they do not buffer, so a write that returned is in the kernel's hands
 * and a failed one is the message to send again. Datagram transports send each write as one datagram.
 */
abstract class Transport implements AutoCloseable {
    static final int CONNECT_TIMEOUT_MS = 5000;

    /** Opens the connection now (a container's start checks that its destination is there). */
    abstract void connect() throws IOException;

    abstract void write(byte[] b, int off, int len) throws IOException;

    /** The reply stream of a stream transport (fluentd's acks); null for datagrams. */
    InputStream input() throws IOException {
        return null;
    }

    @Override
    public abstract void close();

    static Transport of(Endpoint e, SSLContext tls) {
        return switch (e.scheme()) {
            case "udp" -> new Udp(e);
            case "unixgram" -> new UnixDatagram(e.path());
            default -> new Stream(e, tls);
        };
    }

    /**
     * tcp, tcp+tls, unix (stream). A write into a connection whose peer has gone succeeds once (the reset comes
     * back after it), and that line would be lost: so a write after a pause first looks whether the peer closed
     * its end, and connects again if it did.
     */
    static final class Stream extends Transport {
        private static final long IDLE_CHECK_NANOS = 200_000_000L;
        private final Endpoint endpoint;
        private final SSLContext tls;
        private SocketChannel channel;
        private SSLSocket ssl;
        private OutputStream out;
        private InputStream in;
        private long lastWrite;

        Stream(Endpoint endpoint, SSLContext tls) {
            this.endpoint = endpoint;
            this.tls = tls;
        }

        @Override
        void connect() throws IOException {
            if (out != null) {
                return;
            }
            try {
                if (endpoint.isUnix()) {
                    channel = SocketChannel.open(UnixDomainSocketAddress.of(endpoint.path()));
                } else if (tls == null) {
                    channel = SocketChannel.open();
                    channel.socket().connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MS);
                    channel.socket().setTcpNoDelay(true);
                } else {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), CONNECT_TIMEOUT_MS);
                    s.setTcpNoDelay(true);
                    ssl = (SSLSocket) tls.getSocketFactory().createSocket(s, endpoint.host(), endpoint.port(), true);
                    ssl.setSoTimeout(30_000);
                    ssl.startHandshake();
                }
                out = channel != null ? Channels.newOutputStream(channel) : ssl.getOutputStream();
                in = channel != null ? new TimedInput(channel) : ssl.getInputStream();
                lastWrite = System.nanoTime();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        @Override
        void write(byte[] b, int off, int len) throws IOException {
            if (out != null && System.nanoTime() - lastWrite > IDLE_CHECK_NANOS && peerClosed()) {
                close();
            }
            connect();
            try {
                out.write(b, off, len);
                lastWrite = System.nanoTime();
            } catch (IOException e) {
                close();
                throw e;
            }
        }

        /** Whether the peer closed its end (a read would see EOF); what it sent unasked is dropped. */
        private boolean peerClosed() {
            try {
                if (channel != null) {
                    channel.configureBlocking(false);
                    try {
                        ByteBuffer one = ByteBuffer.allocate(256);
                        int n;
                        while ((n = channel.read(one)) > 0) {
                            one.clear();
                        }
                        return n < 0;
                    } finally {
                        channel.configureBlocking(true);
                    }
                }
                ssl.setSoTimeout(1);
                try {
                    return ssl.getInputStream().read() < 0;
                } catch (java.net.SocketTimeoutException e) {
                    return false;
                } finally {
                    ssl.setSoTimeout(30_000);
                }
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        InputStream input() throws IOException {
            connect();
            return in;
        }

        /** Replies read with a bound (a channel's blocking read has none): polls, 30 s at most per read. */
        private static final class TimedInput extends InputStream {
            private final SocketChannel ch;

            TimedInput(SocketChannel ch) {
                this.ch = ch;
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0; // InputStream.readNBytes asks for none once it has all
                }
                long deadline = System.nanoTime() + 30_000_000_000L;
                ch.configureBlocking(false);
                try {
                    while (true) {
                        int n = ch.read(ByteBuffer.wrap(b, off, len));
                        if (n != 0) {
                            return n;
                        }
                        if (System.nanoTime() > deadline) {
                            throw new java.net.SocketTimeoutException("no reply within 30 s");
                        }
                        java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                    }
                } finally {
                    ch.configureBlocking(true);
                }
            }
        }

        @Override
        public void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
                if (ssl != null) {
                    ssl.close();
                }
            } catch (IOException e) {
                // closing a connection that already failed
            }
            channel = null;
            ssl = null;
            out = null;
            in = null;
        }
    }

    /** udp: one datagram per write; a destination that is not listening loses the datagram, as UDP does. */
    static final class Udp extends Transport {
        private final Endpoint endpoint;
        private DatagramChannel channel;

        Udp(Endpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        void connect() throws IOException {
            if (channel == null) {
                channel = DatagramChannel.open();
                channel.connect(new InetSocketAddress(endpoint.host(), endpoint.port()));
            }
        }

        @Override
        void write(byte[] b, int off, int len) throws IOException {
            connect();
            try {
                channel.write(ByteBuffer.wrap(b, off, len));
            } catch (PortUnreachableException e) {
                // an earlier datagram found no listener (ICMP): UDP does not retry
            }
        }

        @Override
        public void close() {
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // nothing to keep
            }
            channel = null;
        }
    }

    /** unixgram (journald's socket, /dev/log): the JDK opens no AF_UNIX datagram socket, so FFM does. */
    static final class UnixDatagram extends Transport {
        private final String path;
        private int fd = -1;

        UnixDatagram(String path) {
            this.path = path;
        }

        @Override
        void connect() throws IOException {
            if (fd < 0) {
                fd = Posix.connectUnix(path, Posix.SOCK_DGRAM);
            }
        }

        @Override
        void write(byte[] b, int off, int len) throws IOException {
            connect();
            try {
                // never a blocking send: the shipper is a virtual thread, and a stalled journald would hold its carrier
                Posix.sendParking(fd, b, off, len);
            } catch (IOException e) {
                close(); // the listener restarted: connect again next time
                throw e;
            }
        }

        @Override
        public void close() {
            if (fd >= 0) {
                Posix.close(fd);
                fd = -1;
            }
        }
    }
}

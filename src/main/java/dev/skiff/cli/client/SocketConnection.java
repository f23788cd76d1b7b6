package dev.skiff.cli.client;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * One blocking socket to the daemon with a read buffer (the response head is parsed from it, the
 * rest is handed on in bulk) and an unbuffered writer. Reading and writing may happen on two
 * threads at once (hijacked streams): SocketChannel keeps separate read and write locks, which the
 * JDK's Channels.newInputStream would not (it locks both directions together).
 */
final class SocketConnection implements Closeable {
    private static final int BUFFER = 64 * 1024;

    private final SocketChannel channel;
    private final In in = new In();
    private final Out out = new Out();

    private SocketConnection(SocketChannel channel) {
        this.channel = channel;
    }

    static SocketConnection open(Hosts.Endpoint endpoint) throws IOException {
        SocketChannel ch;
        if (endpoint.unix()) {
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(endpoint.socket()));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
        } else {
            ch = SocketChannel.open(new InetSocketAddress(endpoint.host(), endpoint.port()));
            ch.socket().setTcpNoDelay(true);
        }
        return new SocketConnection(ch);
    }

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /** A CRLF- or LF-terminated line of the response head, without the terminator. */
    String readLine() throws IOException {
        return in.readLine();
    }

    void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private final class In extends InputStream {
        private final byte[] buf = new byte[BUFFER];
        private int pos;
        private int limit;

        @Override
        public int read() throws IOException {
            if (pos == limit && fill() < 0) {
                return -1;
            }
            return buf[pos++] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos < limit) {
                int n = Math.min(len, limit - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
            if (len >= buf.length) {
                return channel.read(ByteBuffer.wrap(b, off, len));
            }
            if (fill() < 0) {
                return -1;
            }
            return read(b, off, len);
        }

        @Override
        public int available() {
            return limit - pos;
        }

        String readLine() throws IOException {
            StringBuilder line = new StringBuilder(64);
            while (true) {
                if (pos == limit && fill() < 0) {
                    throw new EOFException("the daemon closed the connection in the middle of a response");
                }
                int start = pos;
                while (pos < limit && buf[pos] != '\n') {
                    pos++;
                }
                line.append(new String(buf, start, pos - start, StandardCharsets.ISO_8859_1));
                if (pos < limit) {
                    pos++;
                    int end = line.length();
                    if (end > 0 && line.charAt(end - 1) == '\r') {
                        line.setLength(end - 1);
                    }
                    return line.toString();
                }
                if (line.length() > 1024 * 1024) {
                    throw new IOException("response head line longer than 1 MiB");
                }
            }
        }

        private int fill() throws IOException {
            pos = 0;
            limit = 0;
            int n = channel.read(ByteBuffer.wrap(buf));
            if (n > 0) {
                limit = n;
            }
            return n;
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                channel.write(bb);
            }
        }
    }
}

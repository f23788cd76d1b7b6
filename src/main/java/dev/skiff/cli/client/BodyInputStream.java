package dev.skiff.cli.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body read off the connection: Content-Length delimited, chunked, or running to the
 * end of the connection. {@link #complete()} tells whether the whole body was read, which decides
 * if the connection may carry the next request.
 */
abstract sealed class BodyInputStream extends InputStream {
    protected final SocketConnection conn;
    protected boolean complete;

    BodyInputStream(SocketConnection conn) {
        this.conn = conn;
    }

    boolean complete() {
        return complete;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    static BodyInputStream empty(SocketConnection conn) {
        return new Fixed(conn, 0);
    }

    /** Exactly {@code length} bytes. */
    static final class Fixed extends BodyInputStream {
        private long remaining;

        Fixed(SocketConnection conn, long length) {
            super(conn);
            this.remaining = length;
            this.complete = length == 0;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                complete = true;
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int n = conn.in().read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("the daemon closed the connection with " + remaining + " bytes of the body unsent");
            }
            remaining -= n;
            complete = remaining == 0;
            return n;
        }

        @Override
        public int available() throws IOException {
            return (int) Math.min(remaining, conn.in().available());
        }
    }

    /** Transfer-Encoding: chunked, de-chunked. */
    static final class Chunked extends BodyInputStream {
        private long remaining;
        private boolean first = true;

        Chunked(SocketConnection conn) {
            super(conn);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (complete) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (remaining == 0 && !nextChunk()) {
                return -1;
            }
            int n = conn.in().read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("the daemon closed the connection in the middle of a chunk");
            }
            remaining -= n;
            return n;
        }

        private boolean nextChunk() throws IOException {
            if (!first) {
                conn.readLine(); // the CRLF after the previous chunk's data
            }
            first = false;
            String line = conn.readLine();
            int semi = line.indexOf(';');
            String size = (semi >= 0 ? line.substring(0, semi) : line).trim();
            try {
                remaining = Long.parseLong(size, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size \"" + line + "\" in the daemon's response");
            }
            if (remaining == 0) {
                while (!conn.readLine().isEmpty()) {
                    // trailers: ignored
                }
                complete = true;
                return false;
            }
            return true;
        }
    }

    /** No length given: the body ends when the daemon closes the connection. */
    static final class UntilClose extends BodyInputStream {
        UntilClose(SocketConnection conn) {
            super(conn);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return conn.in().read(b, off, len);
        }
    }
}

package dev.skiff.api.http;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.BulkInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WebSocket (RFC 6455) on a connection taken over with {@link HttpResponse#switchProtocols}, as GET
 * /containers/{id}/attach/ws speaks it. What the client sends in data frames (text, binary or continuation,
 * masked as a client's must be) is {@link #in()}; a ping is answered with a pong, and a close frame is answered
 * and ends the input. Each write to {@link #out()} leaves as one unmasked text frame, however binary the bytes:
 * dockerd's attach writes them so (golang.org/x/net/websocket's default payload type), and clients read them so.
 *
 * <p>Nothing is buffered beyond a frame header: a data frame's payload is handed on as it arrives, whatever the
 * length the client announces; a control frame may carry at most 125 bytes, as the RFC says. A client that breaks
 * the protocol (an unmasked frame, reserved bits, an unknown opcode) gets close code 1002 and its input ends.
 */
public final class WebSocket implements Hijacked {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CLOSE = 0x8;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final int MAX_CONTROL_PAYLOAD = 125;
    private static final int NORMAL_CLOSURE = 1000;
    private static final int PROTOCOL_ERROR = 1002;

    private final Hijacked conn;
    private final Object writeLock = new Object();
    private final FrameInput in = new FrameInput();
    private final FrameOutput out = new FrameOutput();
    private boolean closeSent; // guarded by writeLock

    WebSocket(Hijacked conn) {
        this.conn = conn;
    }

    /**
     * Answers a client's opening handshake and takes the connection over; a request that is not one (no
     * {@code Upgrade: websocket}, no key) or asks for another version than 13 is refused with 400 before anything
     * is sent.
     */
    public static WebSocket accept(HttpRequest rq, HttpResponse rs) throws IOException {
        String key = rq.header("Sec-WebSocket-Key").orElse("").trim();
        if (!rq.header("Upgrade").orElse("").equalsIgnoreCase("websocket") || key.isEmpty()) {
            throw new InvalidArgumentException(rq.path() + " speaks WebSocket only: the request needs "
                    + "\"Upgrade: websocket\" and a Sec-WebSocket-Key (use POST " + rq.path().replaceAll("/ws$", "")
                    + " for a plain hijacked stream)");
        }
        String version = rq.header("Sec-WebSocket-Version").orElse("").trim();
        if (!version.equals("13")) {
            rs.header("Sec-WebSocket-Version", "13");
            throw new InvalidArgumentException("WebSocket version \"" + version + "\" is not supported: use 13");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Upgrade", "websocket");
        headers.put("Connection", "Upgrade");
        headers.put("Sec-WebSocket-Accept", acceptKey(key));
        return new WebSocket(rs.switchProtocols(headers));
    }

    /** The Sec-WebSocket-Accept answer to a client's Sec-WebSocket-Key (RFC 6455, 4.2.2). */
    static String acceptKey(String key) {
        try {
            byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
    }

    /** Says goodbye (close 1000) and half-closes our side; the client's close answer, if any, ends {@link #in()}. */
    @Override
    public void closeOutput() throws IOException {
        sendClose(NORMAL_CLOSURE);
        conn.closeOutput();
    }

    @Override
    public void close() throws IOException {
        conn.close();
    }

    private void sendClose(int code) throws IOException {
        synchronized (writeLock) {
            if (closeSent) {
                return;
            }
            writeFrame(CLOSE, new byte[] {(byte) (code >> 8), (byte) code}, 0, 2);
            closeSent = true;
            conn.out().flush();
        }
    }

    private void send(int opcode, byte[] b, int off, int len, boolean flush) throws IOException {
        synchronized (writeLock) {
            if (closeSent) {
                throw new IOException("the WebSocket is closed");
            }
            writeFrame(opcode, b, off, len);
            if (flush) {
                conn.out().flush();
            }
        }
    }

    // Called with writeLock held: one final, unmasked frame.
    private void writeFrame(int opcode, byte[] b, int off, int len) throws IOException {
        byte[] head;
        if (len < 126) {
            head = new byte[] {(byte) (0x80 | opcode), (byte) len};
        } else if (len < 65536) {
            head = new byte[] {(byte) (0x80 | opcode), 126, (byte) (len >> 8), (byte) len};
        } else {
            head = new byte[10];
            head[0] = (byte) (0x80 | opcode);
            head[1] = 127;
            for (int i = 0; i < 8; i++) {
                head[9 - i] = (byte) ((long) len >>> (8 * i));
            }
        }
        OutputStream o = conn.out();
        o.write(head);
        o.write(b, off, len);
    }

    /** The payloads of the client's data frames, unmasked, in order. */
    private final class FrameInput extends BulkInputStream {
        private final byte[] mask = new byte[4];
        private long remaining;
        private long maskAt;
        private boolean ended;


        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (remaining == 0) {
                if (ended || !nextFrameEndsWell()) {
                    ended = true;
                    return -1;
                }
            }
            int n = conn.in().read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                ended = true; // the connection went in the middle of a frame
                return -1;
            }
            for (int i = 0; i < n; i++) {
                b[off + i] ^= mask[(int) ((maskAt + i) & 3)];
            }
            maskAt += n;
            remaining -= n;
            return n;
        }

        private boolean nextFrameEndsWell() throws IOException {
            try {
                return nextDataFrame();
            } catch (EOFException e) {
                return false; // the client went in the middle of a frame: its input ends there
            }
        }

        /** Reads frame headers, answering control frames, until a data frame with payload; false at the end. */
        private boolean nextDataFrame() throws IOException {
            InputStream raw = conn.in();
            while (true) {
                int b0 = raw.read();
                int b1 = b0 < 0 ? -1 : raw.read();
                if (b1 < 0) {
                    return false;
                }
                int opcode = b0 & 0x0f;
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = readNumber(raw, 2);
                } else if (length == 127) {
                    length = readNumber(raw, 8);
                }
                boolean control = (opcode & 0x8) != 0;
                boolean knownData = opcode == CONTINUATION || opcode == TEXT || opcode == BINARY;
                boolean knownControl = opcode == CLOSE || opcode == PING || opcode == PONG;
                if ((b0 & 0x70) != 0 || (b1 & 0x80) == 0 || length < 0 || !(knownData || knownControl)
                        || (control && (length > MAX_CONTROL_PAYLOAD || (b0 & 0x80) == 0))) {
                    sendClose(PROTOCOL_ERROR); // reserved bits, an unmasked client frame, a bad length or opcode
                    return false;
                }
                readFully(raw, mask, 4);
                maskAt = 0;
                if (!control) {
                    if (length > 0) {
                        remaining = length;
                        return true;
                    }
                    continue;
                }
                byte[] payload = new byte[(int) length];
                readFully(raw, payload, payload.length);
                for (int i = 0; i < payload.length; i++) {
                    payload[i] ^= mask[i & 3];
                }
                if (opcode == CLOSE) {
                    int code = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : NORMAL_CLOSURE;
                    sendClose(code);
                    return false;
                }
                if (opcode == PING) {
                    synchronized (writeLock) {
                        if (!closeSent) {
                            send(PONG, payload, 0, payload.length, true);
                        }
                    }
                }
            }
        }

        private long readNumber(InputStream raw, int bytes) throws IOException {
            long v = 0;
            for (int i = 0; i < bytes; i++) {
                int b = raw.read();
                if (b < 0) {
                    throw new EOFException("the WebSocket connection ended inside a frame header");
                }
                v = (v << 8) | b;
            }
            return v;
        }

        private void readFully(InputStream raw, byte[] into, int n) throws IOException {
            int at = 0;
            while (at < n) {
                int r = raw.read(into, at, n - at);
                if (r < 0) {
                    throw new EOFException("the WebSocket connection ended inside a frame");
                }
                at += r;
            }
        }
    }

    /** Each write is one text frame (flushing is the caller's, as on a plain hijacked stream). */
    private final class FrameOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                send(TEXT, b, off, len, false);
            }
        }

        @Override
        public void flush() throws IOException {
            conn.out().flush();
        }
    }
}

package dev.skiff.cli.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Docker's stdcopy framing: an 8-byte header (stream type, 3 zero bytes, big-endian payload size)
 * before each payload; type 1 is stdout, 2 stderr, 3 an error from the daemon.
 */
public final class StdStreams {
    private StdStreams() {
    }

    /** Splits a multiplexed stream onto out and err until EOF; a type-3 frame ends it with an IOException. */
    public static void demux(InputStream in, OutputStream out, OutputStream err) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[32 * 1024];
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n == 0) {
                return;
            }
            if (n < 8) {
                throw new EOFException("attach: stream ended inside a frame header");
            }
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            OutputStream target = switch (header[0]) {
                case 0, 1 -> out;
                case 2 -> err;
                case 3 -> null;
                default -> throw new IOException("attach: unknown stream type " + header[0] + " in stdcopy frame");
            };
            if (target == null) {
                byte[] msg = in.readNBytes((int) size);
                throw new IOException(new String(msg, java.nio.charset.StandardCharsets.UTF_8).strip());
            }
            while (size > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, size));
                if (r < 0) {
                    throw new EOFException("attach: stream ended inside a frame");
                }
                target.write(buf, 0, r);
                size -= r;
            }
            target.flush();
        }
    }

    /** Copies until EOF, flushing after every read so interactive output appears at once. */
    public static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int r;
        while ((r = in.read(buf)) >= 0) {
            out.write(buf, 0, r);
            out.flush();
        }
    }

    /** Writes one stdcopy frame; tests use it to build canned attach and logs streams. */
    public static byte[] frame(int stream, byte[] payload) {
        byte[] f = new byte[8 + payload.length];
        f[0] = (byte) stream;
        f[4] = (byte) (payload.length >>> 24);
        f[5] = (byte) (payload.length >>> 16);
        f[6] = (byte) (payload.length >>> 8);
        f[7] = (byte) payload.length;
        System.arraycopy(payload, 0, f, 8, payload.length);
        return f;
    }
}

package dev.skiff.cli.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits Docker's multiplexed stream (non-TTY attach, exec, logs) back into stdout and stderr.
 * Each frame is {@code [stream, 0, 0, 0, length (uint32 big-endian)]} then the payload; stream 0
 * (stdin echo) and 1 go to stdout, 2 to stderr, 3 is an error from the daemon and is thrown.
 */
public final class StdCopy {
    private static final int BUFFER = 32 * 1024;

    private StdCopy() {
    }

    /**
     * Copies until {@code in} ends, flushing each output after each frame.
     *
     * @return the number of payload bytes written
     * @throws IOException on a malformed frame, a daemon error frame, or an I/O failure
     */
    public static long demux(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        byte[] header = new byte[8];
        byte[] buf = new byte[BUFFER];
        long total = 0;
        while (true) {
            int got = in.readNBytes(header, 0, 8);
            if (got == 0) {
                return total;
            }
            if (got < 8) {
                throw new EOFException("the stream ended inside a frame header (" + got + " of 8 bytes)");
            }
            long length = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            OutputStream target = switch (header[0]) {
                case 0, 1 -> stdout;
                case 2 -> stderr;
                case 3 -> null;
                default -> throw new IOException("unknown stream id " + header[0] + " in a multiplexed stream"
                        + " (is the container using a TTY? then the stream is raw)");
            };
            if (target == null) {
                byte[] msg = in.readNBytes((int) Math.min(length, 1024 * 1024));
                throw new IOException("the daemon reported an error: " + new String(msg, StandardCharsets.UTF_8).trim());
            }
            long left = length;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new EOFException("the stream ended inside a frame (" + left + " bytes missing)");
                }
                target.write(buf, 0, n);
                left -= n;
            }
            target.flush();
            total += length;
        }
    }
}

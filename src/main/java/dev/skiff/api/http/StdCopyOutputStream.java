package dev.skiff.api.http;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Frames output in Docker's stdcopy format for non-TTY attach, exec and logs: each write call
 * becomes one frame {@code [stream, 0, 0, 0, length (uint32 big-endian)] + payload}. Streams that
 * share one connection (stdout and stderr) lock the underlying stream, so frames never interleave.
 */
public final class StdCopyOutputStream extends OutputStream {
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** Docker's "systemerr": an error from the daemon itself, shown by the client as an error. */
    public static final int SYSTEMERR = 3;

    private final OutputStream out;
    private final int stream;
    private final boolean flushEachFrame;
    private final byte[] header = new byte[8];

    /**
     * @param out            the shared underlying stream (the response or hijacked connection)
     * @param stream         {@link #STDOUT}, {@link #STDERR}, ...
     * @param flushEachFrame flush after every frame, so a follower sees each line at once
     */
    public StdCopyOutputStream(OutputStream out, int stream, boolean flushEachFrame) {
        this.out = out;
        this.stream = stream;
        this.flushEachFrame = flushEachFrame;
    }

    public static StdCopyOutputStream stdout(OutputStream out) {
        return new StdCopyOutputStream(out, STDOUT, true);
    }

    public static StdCopyOutputStream stderr(OutputStream out) {
        return new StdCopyOutputStream(out, STDERR, true);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        synchronized (out) {
            header[0] = (byte) stream;
            header[4] = (byte) (len >>> 24);
            header[5] = (byte) (len >>> 16);
            header[6] = (byte) (len >>> 8);
            header[7] = (byte) len;
            out.write(header, 0, 8);
            out.write(b, off, len);
            if (flushEachFrame) {
                out.flush();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        synchronized (out) {
            out.flush();
        }
    }

    /** Does not close the shared underlying stream: the other stream may still write. */
    @Override
    public void close() throws IOException {
        flush();
    }
}

package dev.skiff.engine;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes container output to a client, raw (TTY) or in Docker's stdcopy frames ([stream,0,0,0,len BE] + data).
 * Consecutive writes to one stream coalesce into one frame of up to the buffer's size, so a log of millions
 * of short lines goes out as a few large frames. Not thread-safe: one writer per response.
 */
public final class StreamWriter {
    public static final int STDIN = 0, STDOUT = 1, STDERR = 2;
    private static final int HEADER = 8;

    private final OutputStream out;
    private final boolean framed;
    private final byte[] buf;
    private int len;
    private int frameStart = -1;
    private int frameStream = -1;

    public StreamWriter(OutputStream out, boolean framed, int capacity) {
        this.out = out;
        this.framed = framed;
        this.buf = new byte[Math.max(capacity, 64)];
    }

    public StreamWriter(OutputStream out, boolean framed) {
        this(out, framed, 1 << 20);
    }

    /** Appends bytes of {@code stream} (1 stdout, 2 stderr). */
    public void write(int stream, byte[] b, int off, int n) throws IOException {
        if (n <= buf.length - len && (!framed || (frameStream == stream && frameStart >= 0))) {
            System.arraycopy(b, off, buf, len, n); // the hot path: one more line into the open frame
            len += n;
            return;
        }
        while (n > 0) {
            open(stream);
            int room = buf.length - len;
            if (room == 0) {
                drain();
                continue;
            }
            int k = Math.min(room, n);
            System.arraycopy(b, off, buf, len, k);
            len += k;
            off += k;
            n -= k;
        }
    }

    /** Appends one byte; the hot path of the log reader's newline. */
    public void write(int stream, byte b) throws IOException {
        open(stream);
        if (len == buf.length) {
            drain();
            open(stream);
        }
        buf[len++] = b;
    }

    private void open(int stream) throws IOException {
        if (!framed) {
            return;
        }
        if (frameStream == stream && frameStart >= 0) {
            return;
        }
        closeFrame();
        if (buf.length - len < HEADER + 1) {
            drain();
        }
        frameStart = len;
        frameStream = stream;
        len += HEADER;
    }

    private void closeFrame() {
        if (frameStart < 0) {
            return;
        }
        int size = len - frameStart - HEADER;
        if (size == 0) {
            len = frameStart; // an empty frame is dropped
        } else {
            buf[frameStart] = (byte) frameStream;
            buf[frameStart + 1] = 0;
            buf[frameStart + 2] = 0;
            buf[frameStart + 3] = 0;
            buf[frameStart + 4] = (byte) (size >>> 24);
            buf[frameStart + 5] = (byte) (size >>> 16);
            buf[frameStart + 6] = (byte) (size >>> 8);
            buf[frameStart + 7] = (byte) size;
        }
        frameStart = -1;
        frameStream = -1;
    }

    /** Writes the buffer out without flushing the stream (the buffer is full). */
    private void drain() throws IOException {
        int stream = frameStream;
        closeFrame();
        out.write(buf, 0, len);
        len = 0;
        if (stream >= 0 && framed) {
            // reopened lazily by the next write of that stream
            frameStream = -1;
        }
    }

    /** Sends everything buffered to the client now. */
    public void flush() throws IOException {
        closeFrame();
        if (len > 0) {
            out.write(buf, 0, len);
            len = 0;
        }
        out.flush();
    }

    public boolean framed() {
        return framed;
    }
}

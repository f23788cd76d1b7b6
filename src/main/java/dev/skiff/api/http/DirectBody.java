package dev.skiff.api.http;

import dev.skiff.sys.BulkInputStream;
import dev.skiff.sys.SocketReader;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;

/**
 * A large request body (an upload route's, see {@link Router#addUpload}: a build context) read from the socket by
 * the thread that consumes it, not through the event loop: one read(2) into the consumer's buffer per socket read instead of a
 * read into netty's buffer, a hand-over between threads and a copy. On two cores, where the client's upload and the
 * daemon share the CPU, that hand-over was a third of the daemon's CPU in a fully cached rebuild of a 50 MiB context.
 *
 * <p>The connection switches to it right after the request head ({@link ConnectionHandler}): the HTTP decoder is
 * removed before it decodes any of the body, and what it had buffered comes here first, from the event loop, as raw
 * bytes; {@link #start} (a task on the event loop, so after those bytes) turns off the channel's hang-up interest
 * ({@link EpollHangups}) and opens a descriptor of our own ({@link SocketReader}); from then on only the consumer's
 * thread reads the socket. The body's framing (chunked or Content-Length) is decoded here, with bounded lines. When
 * the body ends, or the exchange does, the hang-up interest comes back and netty watches the connection again; it is
 * not reused for another request (the decoder is gone), so the response closes it.
 *
 * <p>Should netty read the socket anyway after the start (an error event on the connection), the body fails rather
 * than go on with a hole in it.
 */
final class DirectBody extends BulkInputStream {
    private static final int BUFFER = 256 << 10;
    /** A read at least this large, with nothing buffered, goes straight into the caller's array. */
    private static final int DIRECT_READ = 16 << 10;
    private static final int MAX_LINE = 8 << 10;
    private static final int MAX_TRAILERS = 64 << 10;

    private final Channel channel;
    private final boolean chunked;
    private final CountDownLatch started = new CountDownLatch(1);
    private final java.io.ByteArrayOutputStream early = new java.io.ByteArrayOutputStream();
    private volatile IOException failure;
    private volatile SocketReader socket;
    private volatile boolean ended;
    private volatile boolean closed;
    // event loop only
    private boolean startedOnLoop;
    private boolean hangupsIgnored;
    // the consuming thread only (set up by start before the latch opens)
    private byte[] buf;
    private int pos;
    private int lim;
    private long remaining;
    private boolean firstChunk = true;

    private DirectBody(Channel channel, boolean chunked, long length) {
        this.channel = channel;
        this.chunked = chunked;
        this.remaining = chunked ? 0 : length;
        if (!chunked && length == 0) {
            ended = true;
        }
    }

    /** Whether {@code channel} can hand its socket over: an epoll channel whose hang-up interest can be changed. */
    static boolean possible(Channel channel) {
        return channel instanceof UnixChannel && EpollHangups.available(channel);
    }

    static DirectBody chunked(Channel channel) {
        return new DirectBody(channel, true, -1);
    }

    static DirectBody ofLength(Channel channel, long length) {
        return new DirectBody(channel, false, length);
    }

    /**
     * Event loop: bytes netty read from the socket. Before {@link #start} they are the body's beginning (what the
     * decoder had buffered, or what netty read before the start), in order; after the body's end they are whatever
     * the client sent after it, dropped; in between netty should not read at all, and the body fails.
     */
    void offer(ByteBuf bytes) {
        try {
            if (!startedOnLoop) {
                // bounded by the kernel's socket buffers: at most one read for the head, or, when the client shut
                // down its side at once (netty then reads to the end), what it had written before its shutdown
                bytes.readBytes(early, bytes.readableBytes());
            } else if (!ended && !closed && failure == null) {
                failure = new IOException("the connection's bytes were read out of order; send the request again");
                closeReader(); // a read waiting for what netty took wakes up to the failure
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            bytes.release();
        }
    }

    /** Event loop, in a task after the head's: from now on the consumer's thread reads the socket. */
    void start() {
        startedOnLoop = true;
        try {
            byte[] first = early.toByteArray();
            buf = new byte[Math.max(BUFFER, first.length)];
            System.arraycopy(first, 0, buf, 0, first.length);
            lim = first.length;
            if (!ended && !closed) {
                EpollHangups.ignore(channel);
                hangupsIgnored = true;
                socket = SocketReader.duplicate(((UnixChannel) channel).fd().intValue());
            }
        } catch (IOException | RuntimeException e) {
            failure = new IOException("cannot read the request body: " + e.getMessage(), e);
        } finally {
            started.countDown();
        }
    }

    /** Whether the body has been read to its end. */
    boolean ended() {
        return ended;
    }

    /** Event loop: the exchange is over; the socket is netty's alone again. */
    void finish() {
        closed = true;
        closeReader();
        started.countDown();
        watchHangups();
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        awaitStart();
        if (ended) {
            return -1;
        }
        if (remaining == 0 && !nextChunk()) {
            return -1;
        }
        int want = (int) Math.min(len, remaining);
        int n;
        if (pos < lim) {
            n = Math.min(want, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
        } else if (want >= DIRECT_READ) {
            n = readSocket(b, off, want);
        } else {
            fill();
            n = Math.min(want, lim - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
        }
        remaining -= n;
        if (remaining == 0 && !chunked) {
            end();
        }
        return n;
    }

    @Override
    public int available() {
        if (ended || buf == null) {
            return 0;
        }
        return (int) Math.min(lim - pos, remaining);
    }

    /** The consumer is done: later reads fail, and the socket goes back to netty. */
    @Override
    public void close() {
        closed = true;
        giveBack();
    }

    // The next chunk's size line (after the previous chunk's CRLF); false at the last chunk, its trailers read.
    private boolean nextChunk() throws IOException {
        if (!chunked) {
            return false;
        }
        if (!firstChunk && !readLine().isEmpty()) {
            throw new IOException("malformed chunked request body: a chunk is longer than its size says");
        }
        firstChunk = false;
        String line = readLine();
        int end = 0;
        while (end < line.length() && Character.digit(line.charAt(end), 16) >= 0) {
            end++;
        }
        String rest = line.substring(end).stripLeading();
        if (end == 0 || end > 15 || !(rest.isEmpty() || rest.startsWith(";"))) {
            throw new IOException("malformed chunked request body: bad chunk size line \"" + abbreviate(line) + "\"");
        }
        long size = Long.parseLong(line, 0, end, 16);
        if (size > 0) {
            remaining = size;
            return true;
        }
        int trailers = 0;
        for (String t = readLine(); !t.isEmpty(); t = readLine()) { // trailers: nothing here uses them
            trailers += t.length() + 2;
            if (trailers > MAX_TRAILERS) {
                throw new IOException("malformed chunked request body: trailers longer than " + MAX_TRAILERS + " bytes");
            }
        }
        end();
        return false;
    }

    // One line of the framing, without its CRLF (a bare LF is taken too, as netty's decoder takes it).
    private String readLine() throws IOException {
        while (true) {
            for (int i = pos; i < lim; i++) {
                if (buf[i] == '\n') {
                    int stop = i > pos && buf[i - 1] == '\r' ? i - 1 : i;
                    String line = new String(buf, pos, stop - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 1;
                    return line;
                }
            }
            if (lim - pos >= MAX_LINE) {
                throw new IOException("malformed chunked request body: a framing line longer than " + MAX_LINE + " bytes");
            }
            fill();
        }
    }

    // Reads more into the buffer (compacting it first when the unread part is at its end).
    private void fill() throws IOException {
        if (pos == lim) {
            pos = lim = 0;
        } else if (lim == buf.length) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            lim -= pos;
            pos = 0;
        }
        lim += readSocket(buf, lim, buf.length - lim);
    }

    private int readSocket(byte[] b, int off, int len) throws IOException {
        checkUsable();
        int n;
        try {
            n = socket.read(b, off, len);
        } catch (IOException e) {
            if (failure != null || closed) {
                checkUsable(); // the reason it was closed
            }
            clientLost();
            throw e;
        }
        if (n < 0) {
            clientLost();
            throw new IOException("the client closed the connection before the request body ended");
        }
        checkUsable();
        return n;
    }

    // The client left mid-body: netty watches the connection again at once, so that the exchange sees the client
    // gone (request.clientGone(); a build cancels its running step) without waiting for the handler to end.
    private void clientLost() {
        channel.eventLoop().execute(this::watchHangups);
    }

    private void checkUsable() throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (closed) {
            throw new IOException("the request body was closed");
        }
        if (socket == null) {
            throw new IOException("the request body has no connection to read from");
        }
    }

    private void awaitStart() throws IOException {
        try {
            started.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
        }
        if (failure != null) {
            throw failure;
        }
        if (closed && !ended) { // the exchange or the connection ended before the start
            throw new IOException("the request body was closed");
        }
    }

    private void end() {
        ended = true;
        giveBack();
    }

    // Any thread: this body reads no more; the socket goes back to netty.
    private void giveBack() {
        closeReader();
        channel.eventLoop().execute(this::watchHangups);
    }

    private void closeReader() {
        SocketReader s = socket;
        if (s != null) {
            s.close();
        }
    }

    // Event loop.
    private void watchHangups() {
        if (!hangupsIgnored || !channel.isOpen()) {
            return;
        }
        hangupsIgnored = false;
        try {
            EpollHangups.watch(channel);
        } catch (IOException e) {
            channel.close();
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}

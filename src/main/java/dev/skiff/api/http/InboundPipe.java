package dev.skiff.api.http;

import dev.skiff.sys.BulkInputStream;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bytes from the event loop to one blocking reader, with backpressure: the channel runs with autoRead
 * off and this pipe asks it for one more read only when the reader has drained everything queued, so
 * at most one socket read's worth of data (a few hundred KiB) waits here however large the upload.
 *
 * <p>{@link #offer}, {@link #end}, {@link #fail} and {@link #readComplete} run on the event loop;
 * the read methods run on the handler's virtual thread. One socket read brings dozens of small body
 * chunks (the docker CLI sends 6 KiB ones), so the reader is woken once per socket read rather than per
 * chunk, only when it waits, and one read call takes from as many queued chunks as fit: a wakeup per
 * chunk costs more CPU than the copy, and on a small machine that CPU is the sender's.
 */
final class InboundPipe extends BulkInputStream {
    private static final long READ_AHEAD = 512 << 10;
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private boolean ended;
    private boolean closed;
    private boolean readRequested;
    private boolean readerWaiting;
    private IOException failure;

    InboundPipe(Channel channel) {
        this.channel = channel;
    }

    /** Takes ownership of {@code buf}. */
    void offer(ByteBuf buf) {
        lock.lock();
        try {
            if (closed || ended || !buf.isReadable()) {
                buf.release();
                return;
            }
            queue.add(buf);
            // the reader is woken by readComplete, which ends every socket read; parked chunks handed on
            // outside a read are followed by a readComplete call too (see ConnectionHandler)
        } finally {
            lock.unlock();
        }
    }

    /** The sender finished its side: the reader gets -1 once the queue is drained. */
    void end() {
        lock.lock();
        try {
            ended = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The connection broke before the end: the reader gets {@code cause} once the queue is drained. */
    void fail(IOException cause) {
        lock.lock();
        try {
            if (!ended && failure == null) {
                failure = cause;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A socket read finished; if it brought nothing for us the reader asks again. */
    void readComplete() {
        lock.lock();
        try {
            readRequested = false;
            if (!queue.isEmpty()) {
                readAhead(); // keep the socket busy while the reader works through what came
            }
            wakeReader();
        } finally {
            lock.unlock();
        }
    }

    /** Everything up to the end has arrived (it may still be queued). */
    boolean ended() {
        lock.lock();
        try {
            return ended;
        } finally {
            lock.unlock();
        }
    }


    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        lock.lock();
        try {
            ByteBuf head = awaitData();
            if (head == null) {
                return -1;
            }
            int n = 0;
            boolean released = false;
            while (head != null && n < len) {
                int step = Math.min(len - n, head.readableBytes());
                head.readBytes(b, off + n, step);
                n += step;
                if (!head.isReadable()) {
                    queue.poll().release();
                    released = true;
                }
                head = queue.peek();
            }
            if (released) {
                readAhead();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        lock.lock();
        try {
            while (skipped < n) {
                ByteBuf head = awaitData();
                if (head == null) {
                    break;
                }
                int step = (int) Math.min(n - skipped, head.readableBytes());
                head.skipBytes(step);
                skipped += step;
                if (!head.isReadable()) {
                    queue.poll().release();
                }
            }
            return skipped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int available() {
        lock.lock();
        try {
            int n = 0;
            for (ByteBuf b : queue) {
                n += b.readableBytes();
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /** Drops what is queued; later arrivals are discarded. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            releaseQueued();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // Called with the lock held. Asks for the next socket read while less than READ_AHEAD bytes wait, so
    // reading and handling overlap (a large upload, such as docker load, is not held to one socket read at a
    // time); memory stays bounded to about READ_AHEAD plus one read.
    private void readAhead() {
        long queued = 0;
        for (ByteBuf b : queue) {
            queued += b.readableBytes();
        }
        if (queued < READ_AHEAD && !ended && !closed && failure == null && !readRequested) {
            readRequested = true;
            channel.read();
        }
    }

    // Called with the lock held: the head buffer, or null at the end.
    private ByteBuf awaitData() throws IOException {
        while (true) {
            if (closed) {
                throw new IOException("stream closed");
            }
            ByteBuf head = queue.peek();
            if (head != null) {
                return head;
            }
            if (ended) {
                return null;
            }
            if (failure != null) {
                throw failure;
            }
            if (!readRequested) {
                readRequested = true;
                channel.read();
            }
            readerWaiting = true;
            try {
                // The timeout only guards against a lost wakeup; the loop re-checks and re-requests.
                if (!changed.await(1, TimeUnit.SECONDS)) {
                    readRequested = false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading the request body");
            } finally {
                readerWaiting = false;
            }
        }
    }

    // Called with the lock held: a reader that waits has something to look at.
    private void wakeReader() {
        if (readerWaiting) {
            changed.signalAll();
        }
    }

    private void releaseQueued() {
        ByteBuf b;
        while ((b = queue.poll()) != null) {
            b.release();
        }
    }
}

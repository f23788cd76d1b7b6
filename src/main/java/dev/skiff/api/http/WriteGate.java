package dev.skiff.api.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one way a handler thread writes to its connection: it blocks while the socket is full (the
 * channel is not writable) instead of queueing without bound, and turns a failed write into an
 * IOException on the next call so a producer stops when the client has gone.
 */
final class WriteGate {
    private final Channel channel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition writable = lock.newCondition();
    private final ChannelFutureListener onDone = this::completed;
    private volatile Throwable failure;

    WriteGate(Channel channel) {
        this.channel = channel;
    }

    Channel channel() {
        return channel;
    }

    /** Event loop: writability changed or the channel closed. */
    void signal() {
        lock.lock();
        try {
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Writes and flushes {@code msg} once the socket has room; Netty takes ownership of it. */
    ChannelFuture write(Object msg) throws IOException {
        try {
            awaitWritable();
        } catch (IOException e) {
            io.netty.util.ReferenceCountUtil.release(msg);
            throw e;
        }
        ChannelFuture f = channel.writeAndFlush(msg);
        f.addListener(onDone);
        return f;
    }

    void check() throws IOException {
        Throwable t = failure;
        if (t != null) {
            throw new IOException("write to the client failed: " + t.getMessage(), t);
        }
        if (!channel.isActive()) {
            throw new IOException("the client closed the connection");
        }
    }

    private void awaitWritable() throws IOException {
        check();
        if (channel.isWritable()) {
            return;
        }
        lock.lock();
        try {
            while (!channel.isWritable()) {
                check();
                // Bounded wait: a wakeup lost between the check and the await costs at most this long.
                writable.await(100, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to write to the client");
        } finally {
            lock.unlock();
        }
        check();
    }

    private void completed(ChannelFuture f) {
        if (!f.isSuccess()) {
            failure = f.cause();
            signal();
        }
    }
}

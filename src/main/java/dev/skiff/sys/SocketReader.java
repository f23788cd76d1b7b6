package dev.skiff.sys;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Reads a connected socket from a blocking thread through a descriptor of its own ({@code dup(2)} of one an event
 * loop owns and keeps non-blocking): read(2) straight into a Java array, and poll(2) while nothing has arrived.
 *
 * <p>The duplicate is what makes this safe beside the event loop: the loop may close its descriptor at any time,
 * and a read on a closed and reused number would read someone else's file; the duplicate stays open, and the socket
 * with it, until {@link #close} here, which waits for a read in progress to return (a poll wakes up every
 * {@link #POLL_SLICE_MS} ms to notice it).
 */
public final class SocketReader implements AutoCloseable {
    private static final int POLL_SLICE_MS = 200;
    // A heap array passed straight to read(2): critical calls may take heap segments (no copy through native
    // memory). read on a non-blocking socket returns at once, as a critical call must.
    private static final MethodHandle READ = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG),
            Linker.Option.critical(true), Linker.Option.captureCallState("errno"));

    private final ReentrantLock lock = new ReentrantLock();
    private final Arena arena = Arena.ofShared();
    private final MemorySegment state = arena.allocate(Syscalls.ERRNO.layout);
    private int fd;
    private boolean reading;
    private volatile boolean closed;

    private SocketReader(int fd) {
        this.fd = fd;
    }

    /** A reader of its own on the socket {@code fd} (which stays its caller's, open and non-blocking). */
    public static SocketReader duplicate(int fd) throws IOException {
        return new SocketReader(Syscalls.dup(fd));
    }

    /**
     * Reads at most {@code len} bytes into {@code b}, waiting for the first one: the count, or -1 at the end of the
     * stream (the peer shut down its side). One thread reads at a time.
     *
     * @throws IOException on a socket error, or once {@link #close} has been called
     */
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        enter();
        try {
            MemorySegment target = MemorySegment.ofArray(b).asSlice(off, len);
            while (true) {
                long n;
                try {
                    n = (long) READ.invokeExact(state, fd, target, (long) len);
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
                if (n > 0) {
                    return (int) n;
                }
                if (n == 0) {
                    return -1;
                }
                int errno = Syscalls.errno(state);
                if (errno == Syscalls.EINTR) {
                    continue;
                }
                if (errno != Syscalls.EAGAIN) {
                    throw Syscalls.error("read from the client's connection", errno);
                }
                awaitReadable();
            }
        } finally {
            leave();
        }
    }

    /** Closes the duplicate descriptor, after a read in progress on another thread has returned. Idempotent. */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            if (!reading) {
                release();
            } // else the reading thread releases it on its way out
        } finally {
            lock.unlock();
        }
    }

    private void awaitReadable() throws IOException {
        while (true) {
            if (closed) {
                throw new IOException("the connection's reader was closed");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException("interrupted while waiting for the client");
            }
            if (Syscalls.poll(fd, Syscalls.POLLIN, POLL_SLICE_MS) != 0) {
                return; // readable, hung up or failed: the next read says which
            }
        }
    }

    private void enter() throws IOException {
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the connection's reader was closed");
            }
            reading = true;
        } finally {
            lock.unlock();
        }
    }

    private void leave() {
        lock.lock();
        try {
            reading = false;
            if (closed) {
                release();
            }
        } finally {
            lock.unlock();
        }
    }

    // Called with the lock held.
    private void release() {
        if (fd < 0) {
            return;
        }
        try {
            Syscalls.close(fd);
        } catch (IOException e) {
            // nothing to do: the descriptor is gone either way
        }
        fd = -1;
        arena.close();
    }
}

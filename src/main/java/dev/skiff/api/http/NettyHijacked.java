package dev.skiff.api.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ExecutionException;

/** A connection after hijack: the HTTP codec is gone and raw bytes flow both ways. */
final class NettyHijacked implements Hijacked {
    private final WriteGate gate;
    private final InboundPipe in;
    private final ChannelOutputStream out;
    private volatile boolean outputClosed;
    private volatile boolean closed;

    /** How long the first output waits for the client to read the response head (see {@link HeadFirst}). */
    private static final long HEAD_READ_WAIT_NANOS = 1_000_000_000;
    private final OutputStream headFirst;

    /** The response head's write: done once the head is in the kernel. */
    private final io.netty.util.concurrent.Future<Void> headWritten;

    NettyHijacked(WriteGate gate, InboundPipe in, io.netty.util.concurrent.Future<Void> headWritten) {
        this.gate = gate;
        this.in = in;
        this.headWritten = headWritten;
        this.out = new ChannelOutputStream(gate, b -> b, null);
        this.headFirst = new HeadFirst();
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return headFirst;
    }

    /**
     * The stream out, whose first bytes wait (1 s at most) until the client has read the response head. docker-py
     * reads the head through a buffered reader and then the stream from the raw socket: what its reader took in with
     * the head is lost, so an exec_run whose output came in the same read as the head returned nothing. dockerd's
     * execs start ~30 ms after the head and hide that; skiff-exec's output can follow within ~3 ms, and under load the
     * client read both at once (13-34 of 300 exec_run(demux=True) lost their output with three busy loops running).
     * On a unix socket the kernel says what the peer has not read yet (SIOCOUTQ); a client that reads at once, as the
     * docker CLI, costs one ioctl here.
     */
    private final class HeadFirst extends OutputStream {
        private boolean waited;

        private void awaitHeadRead() throws IOException {
            if (waited) {
                return;
            }
            waited = true;
            if (!(gate.channel() instanceof io.netty.channel.unix.UnixChannel unix)) {
                return;
            }
            try {
                // the head goes through the event loop: once its write is done, it is in the kernel (long since, as a
                // rule, by the time a process has output)
                headWritten.get();
                int fd = unix.fd().intValue();
                long deadline = System.nanoTime() + HEAD_READ_WAIT_NANOS;
                while (dev.skiff.runtime.unix.Posix.unreadByPeer(fd) > 0 && System.nanoTime() < deadline) {
                    Thread.sleep(0, 200_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while the client read the response head");
            } catch (ExecutionException e) {
                throw new IOException("the response head could not be sent: " + e.getCause().getMessage(), e.getCause());
            }
        }

        @Override
        public void write(int b) throws IOException {
            awaitHeadRead();
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len > 0) {
                awaitHeadRead();
            }
            out.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /** Flushes and half-closes our side (shutdown(SHUT_WR)): the client reads EOF and may still send. */
    @Override
    public synchronized void closeOutput() throws IOException {
        if (outputClosed || closed) {
            return;
        }
        outputClosed = true;
        out.close();
        if (gate.channel() instanceof DuplexChannel duplex) {
            // Shut down only after everything written so far has reached the socket: the pipeline's
            // flush consolidation may still hold writes, and shutdownOutput would fail them.
            ChannelPromise shut = duplex.newPromise();
            duplex.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> duplex.shutdownOutput(shut));
            try {
                shut.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while half-closing the hijacked connection");
            } catch (ExecutionException e) {
                throw new IOException("half-closing the hijacked connection failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    boolean closed() {
        return closed;
    }

    /** Flushes what is left and closes the connection once it is written. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!outputClosed) {
                out.close();
            }
        } catch (IOException e) {
            out.abandon();
        }
        in.close();
        gate.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}

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

    NettyHijacked(WriteGate gate, InboundPipe in) {
        this.gate = gate;
        this.in = in;
        this.out = new ChannelOutputStream(gate, b -> b, null);
    }

    @Override
    public InputStream in() {
        return in;
    }

    @Override
    public OutputStream out() {
        return out;
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

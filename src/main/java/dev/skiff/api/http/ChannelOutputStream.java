package dev.skiff.api.http;

import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.Function;

/**
 * A blocking OutputStream onto a channel. Small writes collect in one pooled direct buffer that is
 * handed to Netty when full or on flush(); big writes go out as one buffer each. Every hand-over
 * flushes (the pipeline's FlushConsolidationHandler merges flushes that pile up), so flush() here
 * means "reaches the client now".
 */
final class ChannelOutputStream extends OutputStream {
    static final int BUFFER_SIZE = 64 * 1024;

    private final WriteGate gate;
    private final Function<ByteBuf, Object> wrap;
    private final Object trailer;
    private ByteBuf buf;
    private boolean closed;

    /**
     * @param wrap    turns a buffer into the message to write (an HttpContent for chunked responses)
     * @param trailer written on close (LastHttpContent), or null
     */
    ChannelOutputStream(WriteGate gate, Function<ByteBuf, Object> wrap, Object trailer) {
        this.gate = gate;
        this.wrap = wrap;
        this.trailer = trailer;
    }

    @Override
    public void write(int b) throws IOException {
        ensureOpen();
        if (buf == null) {
            buf = gate.channel().alloc().directBuffer(BUFFER_SIZE);
        }
        buf.writeByte(b);
        if (!buf.isWritable()) {
            emit();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        ensureOpen();
        while (len > 0) {
            if (buf == null && len >= BUFFER_SIZE) {
                ByteBuf big = gate.channel().alloc().directBuffer(len);
                big.writeBytes(b, off, len);
                gate.write(wrap.apply(big));
                return;
            }
            if (buf == null) {
                buf = gate.channel().alloc().directBuffer(BUFFER_SIZE);
            }
            int n = Math.min(len, buf.writableBytes());
            buf.writeBytes(b, off, n);
            off += n;
            len -= n;
            if (!buf.isWritable()) {
                emit();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        ensureOpen();
        emit();
    }

    /** Sends what is buffered and the trailer; the stream ends. Idempotent. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            emit();
            if (trailer != null) {
                gate.write(trailer);
            }
        } finally {
            closed = true;
            if (buf != null) {
                buf.release();
                buf = null;
            }
        }
    }

    boolean closed() {
        return closed;
    }

    /** Drops the buffer without writing (the connection is being torn down). */
    void abandon() {
        closed = true;
        if (buf != null) {
            buf.release();
            buf = null;
        }
    }

    private void emit() throws IOException {
        if (buf == null || !buf.isReadable()) {
            gate.check();
            return;
        }
        ByteBuf out = buf;
        buf = null;
        gate.write(wrap.apply(out));
    }

    private void ensureOpen() throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
    }
}

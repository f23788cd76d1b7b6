package dev.skiff.api.http;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over for a raw byte stream (attach, exec start).
 *
 * <p>{@link #in()} returns -1 when the client half-closes its side (stdin EOF); the output stays
 * usable until {@link #closeOutput()}, which half-closes our side so the client sees EOF on
 * stdout while it may still be sending. {@link #close()} ends both.
 */
public interface Hijacked extends Closeable {
    InputStream in();

    OutputStream out();

    void closeOutput() throws IOException;
}

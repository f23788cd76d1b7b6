package dev.skiff.cli.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Writes a streamed request body straight into the connection, on the upload's own thread: a body made as it goes
 * (a build context's tar) needs no pipe between its writer and the socket. A failure it throws that is not the
 * socket's own is reported as the body's source failing. It need not close {@code out}.
 */
@FunctionalInterface
public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;

    /** The bytes of {@code in}, closed at the end. */
    static BodyWriter of(InputStream in) {
        return out -> {
            try (in) {
                in.transferTo(out);
            }
        };
    }
}

package dev.skiff.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * A live connection to a container's stdio. Output arrives tagged with its stream; stdin is written
 * through {@link #writeStdin}; {@link #closeStdin} delivers EOF to the process.
 */
public interface AttachSession extends Closeable {
    /** Stream numbers as in Docker's stdcopy framing. */
    int STDOUT = 1, STDERR = 2;

    /**
     * Blocks for the next chunk of output and passes it to the sink, with any further chunks already waiting
     * (so a caller may flush once per call); returns false at EOF
     * (the container's stdio closed, i.e. it exited).
     */
    boolean readOutput(OutputSink sink) throws IOException;

    void writeStdin(byte[] data, int off, int len) throws IOException;

    /** Copies {@code in} to the container's stdin until EOF, then closes stdin. */
    default void pumpStdin(InputStream in) throws IOException {
        byte[] buf = new byte[32 * 1024];
        int n;
        while ((n = in.read(buf)) >= 0) {
            writeStdin(buf, 0, n);
        }
        closeStdin();
    }

    void closeStdin() throws IOException;

    /** Receives one chunk of output. */
    @FunctionalInterface
    interface OutputSink {
        void accept(int stream, byte[] data, int off, int len) throws IOException;
    }
}

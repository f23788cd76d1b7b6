package dev.skiff.cli.client;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A connection taken over after attach/exec start: raw bytes both ways (stdcopy frames from the
 * server unless the container has a TTY). {@link #closeOutput()} half-closes our side: the server
 * sees stdin EOF while we keep reading output.
 */
public interface HijackedConnection extends Closeable {
    InputStream in();

    OutputStream out();

    void closeOutput() throws IOException;
}

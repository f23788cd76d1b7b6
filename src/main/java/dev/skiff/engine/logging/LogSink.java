package dev.skiff.engine.logging;

import java.io.IOException;

/**
 * Where one container's log lines go. A line is handed over when {@link #send} returns; a failed send leaves the sink
 * able to try again (a stream transport reconnects on the next call), so the shipper keeps the line and resends it.
 * A line the destination can never take (too large) is an {@link IllegalArgumentException}: the shipper drops it.
 */
public interface LogSink extends AutoCloseable {
    void send(LogMessage message) throws IOException;

    /** Where the lines go, for messages: "syslog at tcp://host:514". */
    String describe();

    @Override
    void close();
}

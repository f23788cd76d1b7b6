package dev.skiff.engine.logging;

import java.io.IOException;

/** A sink that writes its messages to one {@link Transport}: what every driver here shares. */
abstract class TransportSink implements LogSink {
    protected final Transport transport;
    private final String where;

    TransportSink(Transport transport, String where) {
        this.transport = transport;
        this.where = where;
    }

    /** Connects now: a start checks that its destination is there. */
    void connect() throws IOException {
        transport.connect();
    }

    @Override
    public String describe() {
        return where;
    }

    @Override
    public void close() {
        if (transport != null) {
            transport.close();
        }
    }
}

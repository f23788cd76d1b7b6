package dev.skiff.engine.network.ports;

import java.io.Closeable;
import java.io.IOException;

/**
 * Checks that a host port is free by binding it, and keeps it bound while the container publishes it, so no
 * other program can take it meanwhile (dockerd holds its published ports the same way).
 */
public interface PortProbe {
    /**
     * Binds protocol/hostIp:port ("" = every address) and returns the handle that holds it.
     *
     * @throws IOException when something else has the port
     */
    Closeable reserve(String protocol, String hostIp, int port) throws IOException;
}

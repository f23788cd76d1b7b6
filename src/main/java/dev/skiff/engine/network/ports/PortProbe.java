package dev.skiff.engine.network.ports;

import java.io.Closeable;
import java.io.IOException;

/**
 * Checks that a host port is free by binding it, and keeps it bound while the container publishes it, so no
 * other program can take it meanwhile (dockerd holds its published ports the same way).
 */
public interface PortProbe {
    /**
     * Binds the host side of {@code binding} (protocol, hostIp:hostPort, "" = every address) for container
     * {@code owner} and returns the handle that holds it.
     *
     * @throws IOException when something else has the port
     */
    Closeable reserve(String owner, PortBinding binding) throws IOException;

    /** Whether {@code reservation} also serves the port on the host's IPv6 addresses ({@link PortProxy}). */
    default boolean servesIpv6(Closeable reservation) {
        return false;
    }
}

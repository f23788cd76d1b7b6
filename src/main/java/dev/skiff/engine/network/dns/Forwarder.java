package dev.skiff.engine.network.dns;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Sends the names that are not a container's to its upstream resolvers, from the daemon's namespace. Bounds the
 * exchanges in flight (overall and per container: one container flooding names cannot starve the others); past
 * the bound a query gets SERVFAIL at once. Runs on the server's loop thread.
 */
final class Forwarder {
    static final int MAX_IN_FLIGHT = 1024;
    static final int MAX_IN_FLIGHT_PER_CONTAINER = 256;
    /** How long one upstream gets before the next one is asked (Docker waits about as long). */
    static final long UPSTREAM_TIMEOUT_MILLIS = 2_000;

    final EmbeddedDns server;
    /** Fresh query IDs, so a spoofed answer must guess 16 bits besides the random source port. */
    final SecureRandom random = new SecureRandom();
    private final Set<UpstreamExchange> inFlight = new HashSet<>();

    Forwarder(EmbeddedDns server) {
        this.server = server;
    }

    /**
     * Forwards {@code query} (as it came from the client) for {@code origin}; {@code deliver} gets the answer
     * with the client's ID, or SERVFAIL when no upstream answered. {@code tcp}: the client asked over TCP, so
     * upstreams are asked over TCP too; over UDP a truncated upstream answer is passed on as it is, and the
     * client retries over TCP, as resolvers do.
     */
    void forward(Served origin, byte[] query, boolean tcp, Consumer<byte[]> deliver) {
        if (inFlight.size() >= MAX_IN_FLIGHT || origin.inFlight >= MAX_IN_FLIGHT_PER_CONTAINER) {
            deliver.accept(Answerer.serverFailure(query, !tcp));
            return;
        }
        UpstreamExchange exchange = new UpstreamExchange(this, origin, query, tcp, deliver);
        inFlight.add(exchange);
        origin.inFlight++;
        exchange.tryNextUpstream();
    }

    void finished(UpstreamExchange exchange, Served origin) {
        if (inFlight.remove(exchange)) {
            origin.inFlight--;
        }
    }

    int inFlight() {
        return inFlight.size();
    }

    void closeAll() {
        for (UpstreamExchange exchange : new ArrayList<>(inFlight)) {
            exchange.abandon();
        }
    }
}

package dev.skiff.cli.client;

import java.io.Closeable;
import java.io.IOException;

/**
 * A blocking client of the Docker Engine API over a unix socket or TCP.
 *
 * <p>Requests that answer with an error status throw {@link ApiException} carrying the status and
 * the server's {"message": ...}. Streaming responses (logs -f, events, pull progress) are read
 * incrementally from {@link ApiResponse#body()}.
 */
public interface ApiClient extends Closeable {
    /** Sends a request; the caller closes the response. */
    ApiResponse send(ApiRequest request) throws IOException;

    /**
     * Sends a request with "Connection: Upgrade, Upgrade: tcp" and takes over the connection
     * (attach, exec start): 101 or 200 both hand back the raw stream.
     */
    HijackedConnection hijack(ApiRequest request) throws IOException;

    /** The API version path prefix this client uses, e.g. "/v1.50". */
    String versionPrefix();
}

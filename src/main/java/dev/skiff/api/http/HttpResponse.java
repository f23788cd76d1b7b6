package dev.skiff.api.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The response side of one request. Exactly one of {@link #json}, {@link #empty},
 * {@link #stream} or {@link #hijack} is called; a handler that throws before any of them
 * gets its exception mapped to a status by ErrorMapper.
 */
public interface HttpResponse {
    /** Adds a header to the response that has not been started yet. */
    HttpResponse header(String name, String value);

    /** Writes {@code body} as JSON with the given status. */
    void json(int status, Object body) throws IOException;

    /** Writes a status with no body (204, 304, ...). */
    void empty(int status) throws IOException;

    /** Writes a small complete body of the given content type. */
    void bytes(int status, String contentType, byte[] body) throws IOException;

    /**
     * Starts a streaming (chunked) response; every flush() reaches the client at once.
     * Closing the stream ends the response.
     */
    OutputStream stream(int status, String contentType) throws IOException;

    /**
     * Takes over the connection for attach and exec: answers "101 UPGRADED" when the client sent
     * {@code Upgrade: tcp}, else "200 OK", with the given content type, then hands over raw bytes
     * both ways. The connection is not reused afterwards.
     */
    Hijacked hijack(String contentType) throws IOException;

    /**
     * Takes over the connection after "101 Switching Protocols" with {@code headers} (a WebSocket handshake's
     * answer, see {@link WebSocket#accept}), then hands over raw bytes both ways, as {@link #hijack}.
     */
    Hijacked switchProtocols(Map<String, String> headers) throws IOException;

    /** Whether a status line has been sent (an error after that can only close the connection). */
    boolean committed();
}

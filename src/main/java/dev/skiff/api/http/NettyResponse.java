package dev.skiff.api.http;

import dev.skiff.sys.Json;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The response side of one exchange, written from the handler's virtual thread. Every response
 * carries dockerd's identifying headers; keep-alive is decided when the status line goes out.
 */
final class NettyResponse implements HttpResponse {
    private static final long MAX_HIJACK_BODY = 1024 * 1024;

    private final WriteGate gate;
    private final ConnectionHandler connection;
    private final java.io.InputStream requestBody;
    private final boolean head;
    private final boolean upgradeRequested;
    private final boolean http10;
    private final BooleanSupplier keepAlivePossible;
    private final HttpHeaders headers = new DefaultHttpHeaders();
    private volatile boolean committed;
    private boolean keepAlive;
    private ChannelOutputStream stream;
    private NettyHijacked hijacked;

    /**
     * @param keepAlivePossible asked at commit: the client wants keep-alive and the request body has
     *                          been received in full (else the connection closes after this response)
     */
    NettyResponse(WriteGate gate, ConnectionHandler connection, java.io.InputStream requestBody, HttpVersion version,
                  boolean head, boolean upgradeRequested, BooleanSupplier keepAlivePossible) {
        this.http10 = version.equals(HttpVersion.HTTP_1_0);
        this.gate = gate;
        this.connection = connection;
        this.requestBody = requestBody;
        this.head = head;
        this.upgradeRequested = upgradeRequested;
        this.keepAlivePossible = keepAlivePossible;
        headers.set("Api-Version", ApiVersions.CURRENT);
        headers.set("Docker-Experimental", "false");
        headers.set("Ostype", "linux");
        headers.set(HttpHeaderNames.SERVER, ApiVersions.SERVER);
    }

    @Override
    public HttpResponse header(String name, String value) {
        if (committed) {
            throw new IllegalStateException("response already started; header " + name + " comes too late");
        }
        headers.add(name, value);
        return this;
    }

    @Override
    public void json(int status, Object body) throws IOException {
        byte[] json = Json.MAPPER.writeValueAsBytes(body);
        byte[] withNewline = new byte[json.length + 1];
        System.arraycopy(json, 0, withNewline, 0, json.length);
        withNewline[json.length] = '\n';
        bytes(status, "application/json", withNewline);
    }

    @Override
    public void empty(int status) throws IOException {
        commit();
        if (status != 204 && status != 304) {
            headers.set(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        gate.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.EMPTY_BUFFER, headers, DefaultHttpHeaders.EMPTY_HEADERS));
    }

    @Override
    public void bytes(int status, String contentType, byte[] body) throws IOException {
        commit();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        headers.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        gate.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body), headers, DefaultHttpHeaders.EMPTY_HEADERS));
    }

    @Override
    public OutputStream stream(int status, String contentType) throws IOException {
        commit();
        headers.set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (http10) {
            // HTTP/1.0 has no chunked encoding: the body ends when the connection closes.
            keepAlive = false;
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else {
            headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        gate.write(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status), headers));
        // Netty's encoder holds encoded headers back to merge them with the first chunk; an empty chunk
        // makes them go now. Clients depend on that: docker run starts the container only once the
        // wait request's headers arrived.
        gate.write(new DefaultHttpContent(io.netty.buffer.Unpooled.EMPTY_BUFFER));
        stream = new ChannelOutputStream(gate, DefaultHttpContent::new, LastHttpContent.EMPTY_LAST_CONTENT);
        return stream;
    }

    @Override
    public Hijacked hijack(String contentType) throws IOException {
        StringBuilder h = new StringBuilder(256);
        if (upgradeRequested) {
            h.append("HTTP/1.1 101 UPGRADED\r\nContent-Type: ").append(contentType)
                    .append("\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n");
        } else {
            h.append("HTTP/1.1 200 OK\r\nContent-Type: ").append(contentType).append("\r\n");
        }
        return takeOver(h);
    }

    @Override
    public Hijacked switchProtocols(Map<String, String> switching) throws IOException {
        StringBuilder h = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\n");
        switching.forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        return takeOver(h);
    }

    /** Sends {@code head} (a status line and headers) and this response's headers, then hands the connection over. */
    private Hijacked takeOver(StringBuilder head) throws IOException {
        if (committed) {
            throw new IllegalStateException("response already started; cannot hijack the connection");
        }
        committed = true;
        keepAlive = false;
        // A request body (exec start's JSON) must be off the wire before the codec goes, or its
        // tail would reach the handler as stdin.
        requestBody.skip(MAX_HIJACK_BODY);
        InboundPipe in = connection.hijack();
        for (Map.Entry<String, String> e : headers) {
            head.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
        }
        head.append("\r\n");
        io.netty.channel.ChannelFuture headWritten = gate.write(Unpooled.copiedBuffer(head, StandardCharsets.US_ASCII));
        hijacked = new NettyHijacked(gate, in, headWritten);
        return hijacked;
    }

    @Override
    public boolean committed() {
        return committed;
    }

    /**
     * Ends whatever the handler left open: a stream gets its last chunk, a hijacked connection is
     * closed, an unanswered request gets 200 with no body (as Go's net/http does).
     *
     * @return whether the connection may carry another request
     */
    boolean finish() throws IOException {
        if (hijacked != null) {
            hijacked.close();
            return false;
        }
        if (stream != null) {
            stream.close();
        } else if (!committed) {
            empty(200);
        }
        return keepAlive;
    }

    /** After a failure mid-response: drop buffered output; the caller closes the connection. */
    void abort() {
        if (stream != null) {
            stream.abandon();
        }
        if (hijacked != null) {
            hijacked.close();
        }
    }

    private void commit() {
        if (committed) {
            throw new IllegalStateException("response already started");
        }
        committed = true;
        keepAlive = keepAlivePossible.getAsBoolean();
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
    }
}

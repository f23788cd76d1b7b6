package dev.skiff.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ApiClient} over a unix socket or TCP with a small hand-written HTTP/1.1: one request per
 * connection at a time, idle connections kept for reuse, streamed request bodies sent chunked from
 * a second thread (so an early error answer is still read), and the API version negotiated once
 * with /_ping.
 */
public final class SocketApiClient implements ApiClient {
    /** The newest API version this client speaks. */
    public static final String API_VERSION = "1.50";
    private static final int MAX_ERROR_BODY = 1024 * 1024;
    private static final int MAX_IDLE = 4;

    private final Hosts.Endpoint endpoint;
    private final ArrayDeque<SocketConnection> idle = new ArrayDeque<>();
    private volatile String prefix;

    /** The CLI's client: -H {@code hostFlag} (may be null), else SKIFF_HOST, DOCKER_HOST, the default socket. */
    public static SocketApiClient fromEnvironment(String hostFlag) {
        return new SocketApiClient(Hosts.resolve(hostFlag, System.getenv()));
    }

    /** A client that negotiates the API version with the daemon at {@code address}. */
    public SocketApiClient(String address) {
        this(address, null);
    }

    /** A client pinned to {@code apiVersion} (e.g. "1.41"), or negotiating when null. */
    public SocketApiClient(String address, String apiVersion) {
        this.endpoint = Hosts.parse(address);
        this.prefix = apiVersion == null ? null : "/v" + apiVersion;
    }

    @Override
    public ApiResponse send(ApiRequest request) throws IOException {
        return exchange(request, negotiate());
    }

    @Override
    public HijackedConnection hijack(ApiRequest request) throws IOException {
        String p = negotiate();
        SocketConnection conn = connect();
        try {
            ResponseHead head = write(conn, request.withHeader("Connection", "Upgrade").withHeader("Upgrade", "tcp"), p);
            if (head.status() != 101 && head.status() != 200) {
                throw error(head, head.body(conn, request.method()));
            }
            return new Hijacked(conn);
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** The prefix negotiated with the daemon; the newest version when the daemon cannot be asked. */
    @Override
    public String versionPrefix() {
        try {
            return negotiate();
        } catch (IOException e) {
            return "/v" + API_VERSION;
        }
    }

    @Override
    public void close() throws IOException {
        synchronized (idle) {
            for (SocketConnection c : idle) {
                c.close();
            }
            idle.clear();
        }
    }

    /** min(daemon's Api-Version, ours), asked once. */
    private String negotiate() throws IOException {
        String p = prefix;
        if (p != null) {
            return p;
        }
        synchronized (this) {
            if (prefix == null) {
                String version = API_VERSION;
                try (ApiResponse ping = exchange(ApiRequest.get("/_ping"), "")) {
                    String server = ping.header("Api-Version").orElse(API_VERSION);
                    if (server.matches("[0-9]+(\\.[0-9]+)*") && compare(server, API_VERSION) < 0) {
                        version = server;
                    }
                    ping.body().readAllBytes();
                } catch (ApiException e) {
                    // An old or odd daemon without /_ping: speak our own version and let it judge.
                }
                prefix = "/v" + version;
            }
            return prefix;
        }
    }

    private ApiResponse exchange(ApiRequest request, String p) throws IOException {
        SocketConnection conn = pooled();
        ResponseHead head;
        if (conn != null && request.bodyWriter() == null) {
            try {
                head = write(conn, request, p);
            } catch (IOException stale) {
                // The daemon closed the idle connection; a request without a streamed body can be resent.
                conn.close();
                conn = connect();
                head = write(conn, request, p);
            }
        } else {
            if (conn == null) {
                conn = connect();
            }
            head = write(conn, request, p);
        }
        try {
            BodyInputStream body = head.body(conn, request.method());
            if (head.status() >= 400) {
                ApiException e = error(head, body);
                release(conn, body.complete() && head.keepAlive());
                throw e;
            }
            return new Response(head, body, conn);
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    /** Sends the request and reads the response head. */
    private ResponseHead write(SocketConnection conn, ApiRequest r, String p) throws IOException {
        OutputStream out = new BufferedOutputStream(conn.out(), 64 * 1024);
        StringBuilder head = new StringBuilder(256);
        head.append(r.method()).append(' ').append(p).append(r.path()).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(endpoint.unix() ? "localhost" : endpoint.host() + ":" + endpoint.port()).append("\r\n");
        head.append("User-Agent: skiff-cli\r\n");
        for (Map.Entry<String, String> h : r.headers().entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        if (r.bodyWriter() != null) {
            head.append("Transfer-Encoding: chunked\r\n");
        } else if (r.body() != null || !r.method().equals("GET") && !r.method().equals("HEAD")) {
            head.append("Content-Length: ").append(r.body() == null ? 0 : r.body().length).append("\r\n");
        }
        head.append("\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (r.bodyWriter() == null) {
            if (r.body() != null) {
                out.write(r.body());
            }
            out.flush();
            return ResponseHead.read(conn);
        }
        out.flush();
        BodyUpload upload = BodyUpload.start(r.bodyWriter(), out, conn);
        ResponseHead response;
        try {
            response = ResponseHead.read(conn);
        } catch (IOException e) {
            IOException source = upload.sourceFailure();
            if (source != null) {
                throw new IOException("reading the request body to send failed: " + source.getMessage(), source);
            }
            throw e;
        }
        if (response.status() < 400) {
            upload.await();
        }
        return response;
    }

    private SocketConnection connect() throws IOException {
        try {
            return SocketConnection.open(endpoint);
        } catch (IOException e) {
            throw new IOException("cannot connect to the daemon at " + endpoint.address() + ": " + e.getMessage()
                    + " (is skiffd running? point -H, SKIFF_HOST or DOCKER_HOST at it)", e);
        }
    }

    private SocketConnection pooled() {
        synchronized (idle) {
            return idle.pollFirst();
        }
    }

    private void release(SocketConnection conn, boolean reusable) throws IOException {
        if (reusable) {
            synchronized (idle) {
                if (idle.size() < MAX_IDLE) {
                    idle.addFirst(conn);
                    return;
                }
            }
        }
        conn.close();
    }

    private static ApiException error(ResponseHead head, InputStream body) throws IOException {
        byte[] raw = body.readNBytes(MAX_ERROR_BODY);
        String text = new String(raw, StandardCharsets.UTF_8).trim();
        String message = text;
        try {
            JsonNode node = Json.MAPPER.readTree(raw);
            if (node != null && node.hasNonNull("message")) {
                message = node.get("message").asText();
            }
        } catch (IOException notJson) {
            // keep the raw text
        }
        if (message.isEmpty()) {
            message = "the daemon answered " + head.status() + " " + head.reason();
        }
        return new ApiException(head.status(), message);
    }

    // Same rule as api.http.ApiVersions.compare; the CLI may not depend on the api package.
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int p = i < x.length ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    private final class Response implements ApiResponse {
        private final ResponseHead head;
        private final BodyInputStream body;
        private final SocketConnection conn;
        private boolean closed;

        Response(ResponseHead head, BodyInputStream body, SocketConnection conn) {
            this.head = head;
            this.body = body;
            this.conn = conn;
        }

        @Override
        public int status() {
            return head.status();
        }

        @Override
        public Optional<String> header(String name) {
            return head.header(name);
        }

        @Override
        public InputStream body() {
            return body;
        }

        @Override
        public JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body.readAllBytes());
        }

        @Override
        public <T> T json(Class<T> type) throws IOException {
            return Json.MAPPER.readValue(body.readAllBytes(), type);
        }

        /** An unread body is not drained (it may be endless, like logs -f): the connection is closed instead. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            release(conn, body.complete() && head.keepAlive());
        }
    }

    private static final class Hijacked implements HijackedConnection {
        private final SocketConnection conn;

        Hijacked(SocketConnection conn) {
            this.conn = conn;
        }

        @Override
        public InputStream in() {
            return conn.in();
        }

        @Override
        public OutputStream out() {
            return conn.out();
        }

        @Override
        public void closeOutput() throws IOException {
            conn.shutdownOutput();
        }

        @Override
        public void close() throws IOException {
            conn.close();
        }
    }
}

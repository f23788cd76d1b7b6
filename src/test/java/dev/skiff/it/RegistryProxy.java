package dev.skiff.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small real HTTP server in front of a {@link DockerRegistry} for what the registry cannot be told to do in a test:
 * demand basic or bearer-token auth (with its own token endpoint), or answer garbage for blobs.
 */
final class RegistryProxy implements AutoCloseable {
    enum Mode { BASIC, BEARER, GARBAGE_BLOBS }

    static final String USER = "skipper";
    static final String PASSWORD = "s3cret";
    private static final Set<String> HOP = Set.of("host", "connection", "content-length", "transfer-encoding",
            "authorization", "upgrade", "expect");

    private final HttpServer server;
    private final DockerRegistry backend;
    private final Mode mode;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final AtomicInteger tokenRequests = new AtomicInteger();

    RegistryProxy(DockerRegistry backend, Mode mode) throws IOException {
        this.backend = backend;
        this.mode = mode;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/token", this::token);
        server.createContext("/v2/", this::forward);
        server.start();
    }

    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private String basic() {
        return "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }

    private void token(HttpExchange ex) throws IOException {
        tokenRequests.incrementAndGet();
        if (!basic().equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
            return;
        }
        reply(ex, 200, "{\"token\":\"good-token\",\"expires_in\":300}");
    }

    private void forward(HttpExchange ex) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (mode == Mode.BASIC && !basic().equals(auth)) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"proxy\"");
            reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        if (mode == Mode.BEARER && !"Bearer good-token".equals(auth)) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
                    + "/token\",service=\"proxy\",scope=\"repository:x:pull\"");
            reply(ex, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}");
            return;
        }
        byte[] body = ex.getRequestBody().readAllBytes();
        URI target = URI.create(backend.url() + ex.getRequestURI().toString());
        HttpRequest.Builder b = HttpRequest.newBuilder(target).method(ex.getRequestMethod(),
                body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase())) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        HttpResponse<byte[]> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        byte[] out = r.body();
        boolean blobGet = ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().contains("/blobs/sha256:");
        if (mode == Mode.GARBAGE_BLOBS && blobGet && r.statusCode() == 200) {
            out = new byte[out.length];
            new java.util.Random(7).nextBytes(out);
        }
        r.headers().map().forEach((k, vs) -> {
            if (!HOP.contains(k.toLowerCase()) && !k.equals(":status")) {
                for (String v : vs) {
                    ex.getResponseHeaders().add(k, k.equalsIgnoreCase("Location") ? v.replace(backend.host(), host()) : v);
                }
            }
        });
        boolean noBody = ex.getRequestMethod().equals("HEAD") || out.length == 0;
        if (ex.getRequestMethod().equals("HEAD")) {
            r.headers().firstValue("Content-Length").ifPresent(l -> ex.getResponseHeaders().set("Content-Length", l));
        }
        ex.sendResponseHeaders(r.statusCode(), noBody ? -1 : out.length);
        try (OutputStream os = ex.getResponseBody()) {
            if (!noBody) {
                os.write(out);
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String json) throws IOException {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("Docker-Distribution-API-Version", "registry/2.0");
        try (InputStream ignored = ex.getRequestBody()) {
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static List<String> modes() {
        return List.of("BASIC", "BEARER");
    }
}

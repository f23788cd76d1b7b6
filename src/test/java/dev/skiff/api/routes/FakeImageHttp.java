package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.Hijacked;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.sys.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory request and response for driving routes through a {@link Router} without a server. */
final class FakeImageHttp {
    private FakeImageHttp() {
    }

    /** Routes "METHOD /path?query" with {@code body}; the handler's exception propagates. */
    static Response call(Router router, String method, String pathAndQuery, byte[] body) throws Exception {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String pair : pathAndQuery.substring(q + 1).split("&")) {
                String[] kv = pair.split("=", 2);
                query.computeIfAbsent(decode(kv[0]), k -> new ArrayList<>()).add(kv.length > 1 ? decode(kv[1]) : "");
            }
        }
        Router.Match match = router.match(method, path).orElseThrow(() -> new AssertionError("no route for " + path));
        if (match.methodNotAllowed()) {
            throw new AssertionError("method not allowed: " + method + " " + path);
        }
        Response response = new Response();
        match.handler().handle(new Request(method, path, match.pathParams(), query, body), response);
        return response;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    record Request(String method, String path, Map<String, String> params, Map<String, List<String>> queries,
                   byte[] bytes) implements HttpRequest {
        @Override
        public String apiVersion() {
            return "1.50";
        }

        @Override
        public String pathParam(String name) {
            return params.get(name);
        }

        @Override
        public Optional<String> query(String name) {
            return queries.getOrDefault(name, List.of()).stream().findFirst();
        }

        @Override
        public List<String> queryAll(String name) {
            return queries.getOrDefault(name, List.of());
        }

        @Override
        public boolean queryBool(String name, boolean defaultValue) {
            return query(name).map(v -> v.equals("1") || v.equalsIgnoreCase("true")).orElse(defaultValue);
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.empty();
        }

        @Override
        public Map<String, List<String>> headers() {
            return Map.of();
        }

        @Override
        public InputStream body() {
            return new ByteArrayInputStream(bytes == null ? new byte[0] : bytes);
        }

        @Override
        public <T> T json(Class<T> type) {
            try {
                return Json.MAPPER.readValue(bytes, type);
            } catch (IOException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public boolean clientGone() {
            return false;
        }
    }

    static final class Response implements HttpResponse {
        int status;
        String contentType;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean closed;

        @Override
        public HttpResponse header(String name, String value) {
            return this;
        }

        @Override
        public void json(int status, Object value) throws IOException {
            start(status, "application/json");
            body.write(Json.MAPPER.writeValueAsBytes(value));
            closed = true;
        }

        @Override
        public void empty(int status) {
            start(status, null);
            closed = true;
        }

        @Override
        public void bytes(int status, String type, byte[] data) throws IOException {
            start(status, type);
            body.write(data);
            closed = true;
        }

        @Override
        public OutputStream stream(int status, String type) {
            start(status, type);
            return new OutputStream() {
                @Override
                public void write(int b) {
                    body.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    body.write(b, off, len);
                }

                @Override
                public void close() {
                    closed = true;
                }
            };
        }

        @Override
        public Hijacked hijack(String type) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean committed() {
            return status != 0;
        }

        private void start(int s, String type) {
            if (status != 0) {
                throw new IllegalStateException("response already started with " + status);
            }
            status = s;
            contentType = type;
        }

        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body.toByteArray());
        }

        /** The streamed JSON messages, one per line. */
        List<JsonNode> messages() throws IOException {
            List<JsonNode> out = new ArrayList<>();
            for (String line : body.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(Json.MAPPER.readTree(line));
                }
            }
            return out;
        }
    }
}

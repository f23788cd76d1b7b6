package dev.skiff.api.routes;

import dev.skiff.api.http.HttpHandler;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Hijacked;
import dev.skiff.api.http.Router;
import dev.skiff.errors.InvalidArgumentException;
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

/** Drives routes through the Router with in-memory requests and responses. */
final class FakeHttp {
    private final Router router;

    FakeHttp(Router router) {
        this.router = router;
    }

    /**
     * Routes "METHOD /path?query" with {@code body} (null for none); the handler's exception propagates. A
     * "/v1.NN" prefix is the API version the request asks for, as the server's version filter strips it
     * (without one: 1.50).
     */
    static Response call(Router router, String method, String pathAndQuery, byte[] body) throws Exception {
        return new FakeHttp(router).call(method, pathAndQuery, body == null ? new byte[0] : body);
    }

    Response call(String method, String pathAndQuery) throws Exception {
        return call(method, pathAndQuery, new byte[0]);
    }

    Response call(String method, String pathAndQuery, String json) throws Exception {
        return call(method, pathAndQuery, json.getBytes(StandardCharsets.UTF_8));
    }

    Response call(String method, String pathAndQuery, byte[] body) throws Exception {
        String version = "1.50";
        java.util.regex.Matcher versioned = java.util.regex.Pattern.compile("^/v(1\\.\\d+)(/.*)$").matcher(pathAndQuery);
        if (versioned.matches()) {
            version = versioned.group(1);
            pathAndQuery = versioned.group(2);
        }
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (q >= 0) {
            for (String kv : pathAndQuery.substring(q + 1).split("&")) {
                int eq = kv.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        Router.Match m = router.match(method, path).orElseThrow(() -> new AssertionError("no route for " + path));
        HttpHandler h = m.handler();
        Response rs = new Response();
        h.handle(new Request(method, path, m.pathParams(), query, body, version), rs);
        return rs;
    }

    record Request(String method, String path, Map<String, String> params, Map<String, List<String>> query, byte[] bytes,
                   String apiVersion) implements HttpRequest {

        @Override
        public String pathParam(String name) {
            return params.get(name);
        }

        @Override
        public Optional<String> query(String name) {
            List<String> v = query.get(name);
            return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
        }

        @Override
        public List<String> queryAll(String name) {
            return query.getOrDefault(name, List.of());
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
            return new ByteArrayInputStream(bytes);
        }

        @Override
        public <T> T json(Class<T> type) {
            if (bytes.length == 0) {
                return null;
            }
            try {
                return Json.MAPPER.readValue(bytes, type);
            } catch (IOException e) {
                throw new InvalidArgumentException("bad JSON: " + e.getMessage());
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
        final Map<String, String> headers = new LinkedHashMap<>();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        volatile boolean headersSent;
        byte[] hijackInput = new byte[0];

        @Override
        public HttpResponse header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        @Override
        public void json(int s, Object b) throws IOException {
            status = s;
            contentType = "application/json";
            body.write(Json.MAPPER.writeValueAsBytes(b));
            headersSent = true;
        }

        @Override
        public void empty(int s) {
            status = s;
            headersSent = true;
        }

        @Override
        public void bytes(int s, String type, byte[] b) throws IOException {
            status = s;
            contentType = type;
            body.write(b);
            headersSent = true;
        }

        @Override
        public OutputStream stream(int s, String type) {
            status = s;
            contentType = type;
            headersSent = true;
            return new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (body) {
                        body.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (body) {
                        body.write(b, off, len);
                    }
                }
            };
        }

        @Override
        public Hijacked hijack(String type) {
            status = 101;
            contentType = type;
            headersSent = true;
            InputStream in = new ByteArrayInputStream(hijackInput);
            return new Hijacked() {
                @Override
                public InputStream in() {
                    return in;
                }

                @Override
                public OutputStream out() {
                    return body;
                }

                @Override
                public void closeOutput() {
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Hijacked switchProtocols(Map<String, String> switching) {
            headers.putAll(switching);
            return hijack(null);
        }

        @Override
        public boolean committed() {
            return headersSent;
        }

        String text() {
            synchronized (body) {
                return body.toString(StandardCharsets.UTF_8);
            }
        }

        com.fasterxml.jackson.databind.JsonNode json() throws IOException {
            return Json.MAPPER.readTree(text());
        }

        /** The streamed JSON messages, one per line. */
        List<com.fasterxml.jackson.databind.JsonNode> messages() throws IOException {
            List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
            for (String line : text().split("\n")) {
                if (!line.isBlank()) {
                    out.add(Json.MAPPER.readTree(line));
                }
            }
            return out;
        }
    }
}

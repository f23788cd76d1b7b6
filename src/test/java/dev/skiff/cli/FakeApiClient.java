package dev.skiff.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.client.ApiClient;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.client.HijackedConnection;
import dev.skiff.sys.Json;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-process ApiClient: canned answers keyed by "METHOD path" (exact, or a prefix ending in '*'). */
final class FakeApiClient implements ApiClient {
    record Canned(int status, byte[] body, Map<String, String> headers) {
    }

    record Recorded(String method, String path, byte[] body) {
        String bodyText() {
            return body == null ? "" : new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() throws IOException {
            return Json.MAPPER.readTree(body);
        }
    }

    private final Map<String, Canned> answers = new LinkedHashMap<>();
    private final Map<String, byte[]> hijacks = new LinkedHashMap<>();
    final List<Recorded> requests = new ArrayList<>();
    final ByteArrayOutputStream hijackInput = new ByteArrayOutputStream();

    FakeApiClient on(String key, String json) {
        return on(key, 200, json);
    }

    FakeApiClient on(String key, int status, String body) {
        answers.put(key, new Canned(status, body.getBytes(StandardCharsets.UTF_8), Map.of()));
        return this;
    }

    FakeApiClient onBytes(String key, byte[] body, Map<String, String> headers) {
        answers.put(key, new Canned(200, body, headers));
        return this;
    }

    FakeApiClient onHijack(String key, byte[] output) {
        hijacks.put(key, output);
        return this;
    }

    List<String> paths() {
        return requests.stream().map(r -> r.method() + " " + r.path()).toList();
    }

    Recorded request(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + method + " " + pathPrefix + " in " + paths()));
    }

    private static <T> T lookup(Map<String, T> map, String key) {
        if (map.containsKey(key)) {
            return map.get(key);
        }
        for (Map.Entry<String, T> e : map.entrySet()) {
            if (e.getKey().endsWith("*") && key.startsWith(e.getKey().substring(0, e.getKey().length() - 1))) {
                return e.getValue();
            }
        }
        return null;
    }

    private byte[] record(ApiRequest r) throws IOException {
        byte[] body = r.body();
        if (body == null && r.bodyWriter() != null) {
            java.io.ByteArrayOutputStream written = new java.io.ByteArrayOutputStream();
            r.bodyWriter().writeTo(written);
            body = written.toByteArray();
        }
        requests.add(new Recorded(r.method(), r.path(), body));
        return body;
    }

    @Override
    public ApiResponse send(ApiRequest request) throws IOException {
        record(request);
        String key = request.method() + " " + request.path();
        Canned c = lookup(answers, key);
        if (c == null) {
            throw new ApiException(404, "fake: no answer for " + key);
        }
        if (c.status() >= 400) {
            JsonNode msg = Json.MAPPER.readTree(c.body());
            throw new ApiException(c.status(), msg.path("message").asText());
        }
        return new ApiResponse() {
            private final InputStream body = new ByteArrayInputStream(c.body());

            @Override
            public int status() {
                return c.status();
            }

            @Override
            public Optional<String> header(String name) {
                return Optional.ofNullable(c.headers().get(name));
            }

            @Override
            public InputStream body() {
                return body;
            }

            @Override
            public JsonNode json() throws IOException {
                return Json.MAPPER.readTree(body);
            }

            @Override
            public <T> T json(Class<T> type) throws IOException {
                return Json.MAPPER.readValue(body, type);
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public HijackedConnection hijack(ApiRequest request) throws IOException {
        record(request);
        String key = request.method() + " " + request.path();
        byte[] out = lookup(hijacks, key);
        if (out == null) {
            throw new ApiException(404, "fake: no hijack for " + key);
        }
        InputStream in = new ByteArrayInputStream(out);
        return new HijackedConnection() {
            @Override
            public InputStream in() {
                return in;
            }

            @Override
            public OutputStream out() {
                return hijackInput;
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
    public String versionPrefix() {
        return "/v1.50";
    }

    @Override
    public void close() {
    }
}

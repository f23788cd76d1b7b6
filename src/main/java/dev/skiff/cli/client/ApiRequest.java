package dev.skiff.cli.client;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One request. {@code path} includes the query string and no version prefix ("/containers/json?all=1");
 * the client adds the prefix. A body is either bytes (sent with Content-Length) or written as it is sent (chunked).
 */
public record ApiRequest(String method, String path, Map<String, String> headers, byte[] body, BodyWriter bodyWriter) {
    public static ApiRequest get(String path) {
        return new ApiRequest("GET", path, new LinkedHashMap<>(), null, null);
    }

    public static ApiRequest post(String path) {
        return new ApiRequest("POST", path, new LinkedHashMap<>(), null, null);
    }

    public static ApiRequest delete(String path) {
        return new ApiRequest("DELETE", path, new LinkedHashMap<>(), null, null);
    }

    /** A POST with a JSON body (serialized with sys.Json.MAPPER). */
    public static ApiRequest postJson(String path, Object body) {
        try {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("Content-Type", "application/json");
            return new ApiRequest("POST", path, h, PlainJson.bytes(body), null);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    public ApiRequest withHeader(String name, String value) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put(name, value);
        return new ApiRequest(method, path, h, body, bodyWriter);
    }

    public ApiRequest withBody(InputStream stream, String contentType) {
        return withBody(BodyWriter.of(stream), contentType);
    }

    public ApiRequest withBody(BodyWriter writer, String contentType) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", contentType);
        return new ApiRequest(method, path, h, null, writer);
    }
}

package dev.skiff.registry.server;

import dev.skiff.sys.Json;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response: status, headers, and a body that is bytes or a slice of a file (a blob, sent zero-copy).
 * A reply to HEAD carries the same headers (Content-Length included) and no body.
 */
public record Reply(int status, Map<String, String> headers, byte[] body, FileSlice file) {
    /** {@code length} bytes of {@code path} from {@code offset}. */
    public record FileSlice(Path path, long offset, long length) {
    }

    public static Reply empty(int status) {
        return new Reply(status, new LinkedHashMap<>(), new byte[0], null);
    }

    public static Reply json(int status, Object value) {
        try {
            Reply r = new Reply(status, new LinkedHashMap<>(), Json.COMPACT.writeValueAsBytes(value), null);
            r.headers.put("Content-Type", "application/json");
            return r;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a reply", e);
        }
    }

    public static Reply bytes(int status, String contentType, byte[] body) {
        Reply r = new Reply(status, new LinkedHashMap<>(), body, null);
        r.headers.put("Content-Type", contentType);
        return r;
    }

    public static Reply file(int status, String contentType, FileSlice slice) {
        Reply r = new Reply(status, new LinkedHashMap<>(), null, slice);
        r.headers.put("Content-Type", contentType);
        return r;
    }

    public static Reply error(RegistryException e) {
        Reply r = json(e.status(), e.body());
        r.headers.putAll(e.headers());
        return r;
    }

    public Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public long contentLength() {
        return file != null ? file.length() : body.length;
    }
}

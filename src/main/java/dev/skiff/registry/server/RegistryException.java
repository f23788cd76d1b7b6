package dev.skiff.registry.server;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request refused with one of the spec's error codes. The HTTP status defaults to the code's usual one;
 * some endpoints answer the same code with another status (416 for an out-of-order chunk, 413 for an
 * oversized manifest), so it may be given.
 */
public final class RegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final int status;
    private final transient Object detail;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public RegistryException(ErrorCode code, String message) {
        this(code, code.status(), message, null);
    }

    public RegistryException(ErrorCode code, int status, String message, Object detail) {
        super(message);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    public ErrorCode code() {
        return code;
    }

    public int status() {
        return status;
    }

    /** Extra response headers, such as WWW-Authenticate on 401. */
    public Map<String, String> headers() {
        return headers;
    }

    public RegistryException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The spec's JSON error body. */
    public Map<String, Object> body() {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", getMessage() == null ? code.description() : getMessage());
        error.put("detail", detail == null ? Map.of() : detail);
        return Map.of("errors", List.of(error));
    }
}

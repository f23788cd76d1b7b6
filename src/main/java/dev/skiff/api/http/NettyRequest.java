package dev.skiff.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** A request as it came off the wire, before version negotiation and routing rewrite its path. */
final class NettyRequest implements HttpRequest {
    private static final long MAX_TRAILING = 64 * 1024;
    /**
     * Bounds on a JSON request body, far above any client's (a create with a thousand variables is ~100 KiB and
     * ~10,000 tokens): a body built to be big (150 MB of variables) ran the daemon out of heap while Jackson built
     * its tree, and an OutOfMemoryError can strike any thread.
     */
    static final long MAX_JSON_BYTES = 16L * 1024 * 1024;
    static final long MAX_JSON_TOKENS = 500_000;
    static final int MAX_JSON_DEPTH = 100;
    private static final com.fasterxml.jackson.databind.ObjectMapper BODIES = bounded();

    private static com.fasterxml.jackson.databind.ObjectMapper bounded() {
        com.fasterxml.jackson.databind.ObjectMapper m = Json.MAPPER.copy();
        m.getFactory().setStreamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                .maxDocumentLength(MAX_JSON_BYTES).maxTokenCount(MAX_JSON_TOKENS).maxNestingDepth(MAX_JSON_DEPTH)
                .maxStringLength((int) MAX_JSON_BYTES).build());
        return m;
    }
    private final String method;
    private final String path;
    private final Map<String, List<String>> query;
    private final HttpHeaders headers;
    private final InputStream body;
    private final BooleanSupplier clientGone;

    NettyRequest(io.netty.handler.codec.http.HttpRequest head, InputStream body, BooleanSupplier clientGone) {
        this.method = head.method().name();
        this.headers = head.headers();
        this.body = body;
        this.clientGone = clientGone;
        QueryStringDecoder uri = new QueryStringDecoder(head.uri());
        this.path = uri.rawPath();
        try {
            this.query = uri.parameters();
        } catch (IllegalArgumentException e) {
            throw new InvalidArgumentException("invalid query string in \"" + head.uri() + "\": " + e.getMessage());
        }
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String apiVersion() {
        return ApiVersions.CURRENT;
    }

    @Override
    public String pathParam(String name) {
        throw new IllegalStateException("no path parameter " + name + " before routing");
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

    /** As dockerd's BoolValueOrDefault: absent is the default; "", "0", "no", "false", "none" are false. */
    @Override
    public boolean queryBool(String name, boolean defaultValue) {
        Optional<String> v = query(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        String s = v.get().trim().toLowerCase(Locale.ROOT);
        return !(s.isEmpty() || s.equals("0") || s.equals("no") || s.equals("false") || s.equals("none"));
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public Map<String, List<String>> headers() {
        Map<String, List<String>> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (Map.Entry<String, String> h : headers) {
            out.computeIfAbsent(h.getKey(), k -> new ArrayList<>()).add(h.getValue());
        }
        return out;
    }

    @Override
    public InputStream body() {
        return body;
    }

    @Override
    public <T> T json(Class<T> type) {
        try {
            // Jackson closes what it reads from; the body must stay open to be drained below.
            T value = BODIES.readValue(new java.io.FilterInputStream(body) {
                @Override
                public void close() {
                }
            }, type);
            // Read to the end so the exchange knows the body is done (the connection stays reusable).
            body.skip(MAX_TRAILING);
            return value;
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            throw new InvalidArgumentException("the request body is too large: a JSON body may have at most "
                    + MAX_JSON_BYTES / (1024 * 1024) + " MiB, " + MAX_JSON_TOKENS + " tokens and " + MAX_JSON_DEPTH
                    + " levels of nesting", e);
        } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
            if (e.getOriginalMessage().startsWith("No content to map")) {
                return null; // an empty body, as a missing one: Go's decoder says EOF, which dockerd takes as no config
            }
            // Jackson's words name its own classes ("Cannot deserialize value of type `...ObjectNode`")
            throw new InvalidArgumentException("invalid JSON in the request body: " + (com.fasterxml.jackson.databind
                    .JsonNode.class.isAssignableFrom(type) ? "a JSON object was expected" : e.getOriginalMessage()), e);
        } catch (JsonProcessingException e) {
            throw new InvalidArgumentException("invalid JSON in the request body: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean clientGone() {
        return clientGone.getAsBoolean();
    }
}

package dev.skiff.registry.server;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request as the endpoints see it: the method, the route its path names, its query parameters, its
 * headers (looked up case-insensitively), who is asking, and its body. An upload's body has already gone
 * into {@code upload}'s file as it arrived; other bodies are held in memory, bounded.
 */
public record RegistryRequest(String method, Route route, Map<String, List<String>> query, Map<String, String> headers,
                              Access access, UploadSession upload, byte[] body) {
    public Optional<String> param(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    public List<String> params(String name) {
        return query.getOrDefault(name, List.of());
    }

    public String header(String name) {
        return headers.get(name);
    }

    public boolean head() {
        return method.equals("HEAD");
    }

    public RegistryRequest withBody(UploadSession session, byte[] bytes) {
        return new RegistryRequest(method, route, query, headers, access, session, bytes);
    }
}

package dev.skiff.api.http;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request seen through a new path, API version and path variables: what version negotiation
 * and routing hand to the next step. Everything else is the original request's.
 */
final class RewrittenRequest implements HttpRequest {
    private final HttpRequest delegate;
    private final String path;
    private final String apiVersion;
    private final Map<String, String> pathParams;

    RewrittenRequest(HttpRequest delegate, String path, String apiVersion, Map<String, String> pathParams) {
        this.delegate = delegate;
        this.path = path;
        this.apiVersion = apiVersion;
        this.pathParams = pathParams;
    }

    static HttpRequest withVersion(HttpRequest r, String path, String apiVersion) {
        return new RewrittenRequest(r, path, apiVersion, Map.of());
    }

    static HttpRequest withPathParams(HttpRequest r, Map<String, String> params) {
        return new RewrittenRequest(r, r.path(), r.apiVersion(), params);
    }

    @Override
    public String method() {
        return delegate.method();
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String apiVersion() {
        return apiVersion;
    }

    @Override
    public String pathParam(String name) {
        String v = pathParams.get(name);
        if (v == null) {
            throw new IllegalArgumentException("route has no path parameter {" + name + "}");
        }
        return v;
    }

    @Override
    public Optional<String> query(String name) {
        return delegate.query(name);
    }

    @Override
    public List<String> queryAll(String name) {
        return delegate.queryAll(name);
    }

    @Override
    public boolean queryBool(String name, boolean defaultValue) {
        return delegate.queryBool(name, defaultValue);
    }

    @Override
    public Optional<String> header(String name) {
        return delegate.header(name);
    }

    @Override
    public Map<String, List<String>> headers() {
        return delegate.headers();
    }

    @Override
    public InputStream body() {
        return delegate.body();
    }

    @Override
    public <T> T json(Class<T> type) {
        return delegate.json(type);
    }

    @Override
    public boolean clientGone() {
        return delegate.clientGone();
    }
}

package dev.skiff.api.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a method and a path pattern such as "/containers/{id}/start" to a handler.
 * Pattern segments in braces match one path segment; a trailing "{name...}" matches the rest
 * (image names contain slashes: "/images/{name...}/json" is written as "/images/{name...}" plus a suffix check
 * by the route itself when needed).
 */
public final class Router {
    private final List<Route> routes = new ArrayList<>();

    public Router add(String method, String pattern, HttpHandler handler) {
        routes.add(new Route(method, PathPattern.compile(pattern), handler, false));
        return this;
    }

    /**
     * A route whose request body is a large upload that one thread reads through (a build context, an image
     * archive): the connection lets that thread read the socket itself ({@link DirectBody}) instead of passing the
     * bytes on from its event loop, and closes after the response. Its handler must read the body on a platform
     * thread: the reads wait in poll(2), which on a virtual thread would hold its carrier meanwhile.
     */
    public Router addUpload(String method, String pattern, HttpHandler handler) {
        routes.add(new Route(method, PathPattern.compile(pattern), handler, true));
        return this;
    }

    /** Whether the route {@code method} and the unversioned {@code path} match takes uploads (see addUpload). */
    boolean isUpload(String method, String path) {
        return match(method, path).map(Match::upload).orElse(false);
    }

    /** The handler and path variables for a request, or empty when nothing matches. */
    public Optional<Match> match(String method, String path) {
        boolean pathMatched = false;
        for (Route route : routes) {
            Optional<Map<String, String>> vars = route.pattern().match(path);
            if (vars.isPresent()) {
                pathMatched = true;
                if (route.method().equals(method) || (method.equals("HEAD") && route.method().equals("GET"))) {
                    return Optional.of(new Match(route.handler(), vars.get(), false, route.upload()));
                }
            }
        }
        return pathMatched ? Optional.of(new Match(null, Map.of(), true, false)) : Optional.empty();
    }

    /**
     * A matched route; {@code methodNotAllowed} when the path exists under another method; {@code upload} for a
     * route added with {@link #addUpload}.
     */
    public record Match(HttpHandler handler, Map<String, String> pathParams, boolean methodNotAllowed, boolean upload) {
    }

    private record Route(String method, PathPattern pattern, HttpHandler handler, boolean upload) {
    }
}

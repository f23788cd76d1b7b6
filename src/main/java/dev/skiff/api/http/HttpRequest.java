package dev.skiff.api.http;

import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a route sees it. The path has the API version prefix ("/v1.50") removed;
 * {@link #apiVersion()} tells which version the client asked for (or the server's default).
 */
public interface HttpRequest {
    String method();

    /** The path without the version prefix and without the query, e.g. "/containers/abc/json". */
    String path();

    /** The API version from the path prefix, or the server's current version when unversioned. */
    String apiVersion();

    /** A variable from the route pattern, e.g. "id" in "/containers/{id}/start" (URL-decoded). */
    String pathParam(String name);

    /** The first value of a query parameter (URL-decoded). */
    Optional<String> query(String name);

    /** Every value of a repeated query parameter. */
    List<String> queryAll(String name);

    /** A query flag as Docker reads them: "1", "true", "True" are true; absent is {@code defaultValue}. */
    boolean queryBool(String name, boolean defaultValue);

    /**
     * The {@code filters} query parameter decoded as Docker sends it (JSON); empty when absent.
     *
     * @throws dev.skiff.errors.InvalidArgumentException when it is not a filters object
     */
    default Map<String, List<String>> filters() {
        return QueryFilters.parse(query("filters").orElse(null));
    }

    /** A header, case-insensitive. */
    Optional<String> header(String name);

    Map<String, List<String>> headers();

    /** The request body as it arrives (streamed, not buffered): for uploads such as image load. */
    InputStream body();

    /**
     * The body parsed as JSON into {@code type}; null when the body is empty or the JSON null.
     *
     * @throws dev.skiff.errors.InvalidArgumentException when the body is not valid JSON for the type
     */
    <T> T json(Class<T> type);

    /** The peer closed its side (e.g. the client of a streaming response went away). */
    boolean clientGone();
}

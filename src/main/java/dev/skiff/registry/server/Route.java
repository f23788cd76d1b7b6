package dev.skiff.registry.server;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which endpoint a request path names. Repository names contain slashes, so the endpoint is found from the
 * end of the path: the greedy name group leaves the last "/manifests/x", "/blobs/x", ... to the endpoint.
 */
public record Route(Kind kind, String name, String reference) {
    public enum Kind { BASE, CATALOG, TOKEN, GC, MANIFEST, BLOB, UPLOAD_START, UPLOAD, TAGS, REFERRERS }

    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([^/]*)");
    private static final Pattern ITEM = Pattern.compile("/v2/(.+)/(manifests|blobs|referrers)/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("/v2/(.+)/tags/list");
    /** Paths longer than this are refused before any matching. */
    static final int MAX_PATH = 2048;

    /** The route of {@code path} (already percent-decoded), or null when no endpoint has that path. */
    public static Route parse(String path) {
        if (path.length() > MAX_PATH) {
            return null;
        }
        switch (path) {
            case "/v2", "/v2/" -> {
                return new Route(Kind.BASE, null, null);
            }
            case "/v2/_catalog" -> {
                return new Route(Kind.CATALOG, null, null);
            }
            case "/token" -> {
                return new Route(Kind.TOKEN, null, null);
            }
            case "/admin/gc" -> {
                return new Route(Kind.GC, null, null);
            }
            default -> {
            }
        }
        Matcher m = UPLOAD.matcher(path);
        if (m.matches()) {
            return m.group(2).isEmpty() ? new Route(Kind.UPLOAD_START, m.group(1), null)
                    : new Route(Kind.UPLOAD, m.group(1), m.group(2));
        }
        m = ITEM.matcher(path);
        if (m.matches()) {
            Kind k = switch (m.group(2)) {
                case "manifests" -> Kind.MANIFEST;
                case "blobs" -> Kind.BLOB;
                default -> Kind.REFERRERS;
            };
            return new Route(k, m.group(1), m.group(3));
        }
        m = TAGS.matcher(path);
        if (m.matches()) {
            return new Route(Kind.TAGS, m.group(1), null);
        }
        return null;
    }

    /** Whether {@code method} on this route changes the registry's content. */
    public boolean writes(String method) {
        return switch (kind) {
            case MANIFEST, BLOB -> method.equals("PUT") || method.equals("DELETE");
            case UPLOAD_START, UPLOAD -> true;
            case GC -> true;
            default -> false;
        };
    }
}

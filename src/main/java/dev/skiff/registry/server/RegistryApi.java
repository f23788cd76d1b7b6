package dev.skiff.registry.server;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's HTTP API, independent of the network: {@link #prepare} runs when a request's head arrives
 * (routing, auth, read-only, choosing where the body goes), {@link #handle} once its body is complete.
 * Authorizing before the body is read means nobody unauthorized can make the registry store a byte.
 */
public final class RegistryApi {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryApi.class);
    /** Bodies that are not blob uploads or manifests: token requests, mounts, empty PUTs. */
    static final int SMALL_BODY = 64 * 1024;

    private final RegistryStorage storage;
    private final UploadSessions uploads;
    private final Authenticator auth;
    private final boolean readOnly;
    private final ProxyUpstream upstream;
    private final GarbageCollector gc;
    private final BlobEndpoints blobs;
    private final ManifestEndpoints manifests;

    public RegistryApi(RegistryStorage storage, UploadSessions uploads, Authenticator auth, boolean readOnly,
                       ProxyUpstream upstream, GarbageCollector gc) {
        this.storage = storage;
        this.uploads = uploads;
        this.auth = auth;
        this.readOnly = readOnly || upstream != null;
        this.upstream = upstream;
        this.gc = gc;
        this.blobs = new BlobEndpoints(storage, uploads, upstream);
        this.manifests = new ManifestEndpoints(storage, upstream);
    }

    /**
     * Checks a request head; the returned request names the upload session its body is to be appended to,
     * or none when the body is to be kept in memory (at most {@link #bodyLimit} bytes).
     *
     * @param baseUrl "http(s)://host:port" as the client addressed us, for the token realm
     */
    public RegistryRequest prepare(String method, String path, Map<String, List<String>> query,
                                   Map<String, String> headers, String baseUrl) {
        Route route = Route.parse(path);
        if (route == null) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 404, "no such endpoint: " + method + " "
                    + RepositoryName.shorten(path), null);
        }
        if (route.name() != null) {
            RepositoryName.require(route.name());
        }
        checkMethod(method, route);
        RegistryRequest r = new RegistryRequest(method, route, query, headers, Access.ANYONE, null, null);
        Access access = route.kind() == Route.Kind.TOKEN ? Access.ANYONE
                : auth.authorize(headers.get("Authorization"), needs(r), route.kind() == Route.Kind.GC, baseUrl);
        if (readOnly && route.writes(method)) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 405, upstream != null
                    ? "this registry is a pull-through cache of " + "its upstream; push to the upstream instead"
                    : "this registry is read-only (started with --read-only)", null);
        }
        r = new RegistryRequest(method, route, query, headers, access, null, null);
        UploadSession target = uploadTarget(r);
        return target == null ? r : r.withBody(target, null);
    }

    /** The most body bytes {@code r} may carry in memory. */
    public static int bodyLimit(RegistryRequest r) {
        return r.route().kind() == Route.Kind.MANIFEST && r.method().equals("PUT") ? ManifestInfo.MAX_BYTES : SMALL_BODY;
    }

    /** The error when a body is over {@link #bodyLimit}. */
    public static RegistryException tooLarge(RegistryRequest r) {
        return r.route().kind() == Route.Kind.MANIFEST
                ? new RegistryException(ErrorCode.MANIFEST_INVALID, 413, "the manifest is larger than "
                        + ManifestInfo.MAX_BYTES + " bytes, this registry's limit", null)
                : new RegistryException(ErrorCode.SIZE_INVALID, 413, "the request body is too large", null);
    }

    /** A request whose body never completed (the client went away): frees its upload session for a retry. */
    public void abandon(RegistryRequest r) {
        if (r.upload() != null) {
            r.upload().release();
            if (r.route().kind() == Route.Kind.UPLOAD_START) {
                uploads.finish(r.upload(), true);
            }
        }
    }

    public Reply handle(RegistryRequest r) {
        try {
            return dispatch(r);
        } catch (RegistryException e) {
            return Reply.error(e);
        } catch (IOException | RuntimeException e) {
            LOG.error("{} {} failed", r.method(), r.route(), e);
            return Reply.json(500, Map.of("errors", List.of(Map.of("code", "UNKNOWN",
                    "message", "internal error: " + e.getMessage(), "detail", Map.of()))));
        } finally {
            if (r.upload() != null) {
                r.upload().release();
            }
        }
    }

    private Reply dispatch(RegistryRequest r) throws IOException {
        String m = r.method();
        return switch (r.route().kind()) {
            case BASE -> Reply.json(200, Map.of());
            case CATALOG -> manifests.catalog(r);
            case TOKEN -> auth.token(r.header("Authorization"), r.params("scope"));
            case GC -> collect(r);
            case MANIFEST -> switch (m) {
                case "PUT" -> manifests.put(r);
                case "DELETE" -> manifests.delete(r);
                default -> manifests.get(r);
            };
            case BLOB -> m.equals("DELETE") ? blobs.delete(r) : blobs.get(r);
            case UPLOAD_START -> blobs.start(r);
            case UPLOAD -> switch (m) {
                case "PATCH" -> blobs.patch(r);
                case "PUT" -> blobs.put(r);
                case "DELETE" -> blobs.cancel(r);
                default -> blobs.status(r);
            };
            case TAGS -> manifests.tags(r);
            case REFERRERS -> manifests.referrers(r);
        };
    }

    private Reply collect(RegistryRequest r) throws IOException {
        Duration grace;
        try {
            grace = Duration.parse("PT" + r.param("grace").orElse("1h").toUpperCase(java.util.Locale.ROOT));
        } catch (java.time.format.DateTimeParseException e) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "invalid grace period (e.g. 30m, 1h, 0s)", null);
        }
        return Reply.json(200, gc.run(grace, r.param("dry-run").filter(v -> !v.equals("false")).isPresent()));
    }

    private static void checkMethod(String method, Route route) {
        boolean ok = switch (route.kind()) {
            case BASE, CATALOG, TAGS, REFERRERS -> method.equals("GET") || method.equals("HEAD");
            case TOKEN -> method.equals("GET");
            case GC, UPLOAD_START -> method.equals("POST");
            case MANIFEST, BLOB -> List.of("GET", "HEAD", "PUT", "DELETE").contains(method)
                    && !(route.kind() == Route.Kind.BLOB && method.equals("PUT"));
            case UPLOAD -> List.of("GET", "PATCH", "PUT", "DELETE").contains(method);
        };
        if (!ok) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 405, method + " is not supported here", null);
        }
    }

    /** The repository actions a request needs, for auth. */
    private static List<Authenticator.Need> needs(RegistryRequest r) {
        List<Authenticator.Need> needs = new ArrayList<>();
        String name = r.route().name();
        switch (r.route().kind()) {
            case MANIFEST, BLOB -> needs.add(new Authenticator.Need(name, switch (r.method()) {
                case "PUT" -> "push";
                case "DELETE" -> "delete";
                default -> "pull";
            }));
            case TAGS, REFERRERS -> needs.add(new Authenticator.Need(name, "pull"));
            case UPLOAD_START, UPLOAD -> {
                needs.add(new Authenticator.Need(name, "push"));
                Optional<String> from = r.param("from");
                if (r.param("mount").isPresent() && from.isPresent() && RepositoryName.isValid(from.get())) {
                    needs.add(new Authenticator.Need(from.get(), "pull"));
                }
            }
            default -> {
            }
        }
        return needs;
    }

    /** The session a PATCH, a closing PUT or a monolithic POST appends its body to, checked and taken. */
    private UploadSession uploadTarget(RegistryRequest r) {
        Route.Kind k = r.route().kind();
        String m = r.method();
        if (k == Route.Kind.UPLOAD_START && r.param("digest").isPresent() && r.param("mount").isEmpty()) {
            BlobEndpoints.digest(r.param("digest").get());
            try {
                UploadSession s = uploads.start(r.route().name());
                s.acquire();
                return s;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (k != Route.Kind.UPLOAD || !(m.equals("PATCH") || m.equals("PUT"))) {
            return null;
        }
        UploadSession s = blobs.session(r);
        if (!s.acquire()) {
            throw BlobEndpoints.busy(s);
        }
        String range = r.header("Content-Range");
        if (range != null) {
            long start = rangeStart(range);
            if (start != s.size()) {
                s.release();
                throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416, "chunk starts at " + start
                        + " but upload " + s.id() + " has " + s.size() + " bytes (send the chunk that starts there)", null)
                        .header("Range", "0-" + Math.max(0, s.size() - 1))
                        .header("Location", "/v2/" + s.repository() + "/blobs/uploads/" + s.id());
            }
        }
        return s;
    }

    /** The first byte of a chunk's Content-Range: "START-END", also "bytes START-END/TOTAL". */
    static long rangeStart(String contentRange) {
        String v = contentRange.strip();
        if (v.startsWith("bytes ")) {
            v = v.substring(6).strip();
        } else if (v.startsWith("bytes=")) {
            v = v.substring(6).strip();
        }
        int dash = v.indexOf('-');
        try {
            return Long.parseLong(dash < 0 ? v : v.substring(0, dash));
        } catch (NumberFormatException e) {
            throw new RegistryException(ErrorCode.BLOB_UPLOAD_INVALID, 416, "invalid Content-Range \""
                    + RepositoryName.shorten(contentRange) + "\" (expected START-END)", null);
        }
    }
}

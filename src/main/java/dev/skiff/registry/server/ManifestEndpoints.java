package dev.skiff.registry.server;

import dev.skiff.image.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Manifests (GET/HEAD/PUT/DELETE by tag or digest), tag listing, the catalog and the referrers API. */
final class ManifestEndpoints {
    private final RegistryStorage storage;
    private final ProxyUpstream upstream;

    ManifestEndpoints(RegistryStorage storage, ProxyUpstream upstream) {
        this.storage = storage;
        this.upstream = upstream;
    }

    Reply get(RegistryRequest r) throws IOException {
        String name = r.route().name();
        String ref = r.route().reference();
        if (ref.startsWith("sha") && ref.contains(":")) {
            BlobEndpoints.digest(ref);
        }
        Optional<RegistryStorage.StoredManifest> m = Optional.empty();
        if (upstream != null && !Digest.isDigest(ref)) {
            // A tag can move upstream: ask there first, serve the cached copy when the upstream is unreachable.
            upstream.fetchManifest(name, ref);
        }
        if (RepositoryName.isTag(ref) || Digest.isDigest(ref)) {
            m = storage.manifest(name, ref);
            if (m.isEmpty() && upstream != null && Digest.isDigest(ref) && upstream.fetchManifest(name, ref)) {
                m = storage.manifest(name, ref);
            }
        }
        if (m.isEmpty()) {
            if (!storage.repositoryExists(name)) {
                throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known to this registry");
            }
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + RepositoryName.shorten(ref)
                    + " is not in repository " + name);
        }
        RegistryStorage.StoredManifest sm = m.get();
        return Reply.file(200, sm.mediaType(), new Reply.FileSlice(sm.path(), 0, sm.size()))
                .header("Docker-Content-Digest", sm.digest().toString())
                .header("ETag", "\"" + sm.digest() + "\"");
    }

    Reply put(RegistryRequest r) throws IOException {
        String name = r.route().name();
        String ref = r.route().reference();
        byte[] body = r.body();
        ManifestInfo info = ManifestInfo.parse(body, r.header("Content-Type"));
        Digest digest = Digest.sha256(body);
        List<String> tags = new ArrayList<>();
        if (Digest.isDigest(ref) || ref.contains(":")) {
            Digest want = BlobEndpoints.digest(ref);
            if (!want.equals(digest)) {
                throw new RegistryException(ErrorCode.DIGEST_INVALID, ErrorCode.DIGEST_INVALID.status(),
                        "the manifest's digest is " + digest + ", not " + want + " (nothing was stored)",
                        Map.of("expected", want.toString(), "actual", digest.toString()));
            }
        } else {
            tags.add(requireTag(ref));
        }
        List<String> extra = r.params("tag");
        for (String t : extra) {
            tags.add(requireTag(t));
        }
        storage.putManifest(name, digest, body, info, tags);
        Reply reply = Reply.empty(201).header("Location", "/v2/" + name + "/manifests/" + digest)
                .header("Docker-Content-Digest", digest.toString());
        info.subject().ifPresent(s -> reply.header("OCI-Subject", s.toString()));
        if (!extra.isEmpty()) {
            reply.header("OCI-Tag", String.join(", ", extra));
        }
        return reply;
    }

    private static String requireTag(String tag) {
        if (!RepositoryName.isTag(tag)) {
            throw new RegistryException(ErrorCode.MANIFEST_INVALID, "invalid tag \"" + RepositoryName.shorten(tag)
                    + "\" (up to 128 letters, digits, _ . -, not starting with . or -)");
        }
        return tag;
    }

    Reply delete(RegistryRequest r) throws IOException {
        String name = r.route().name();
        String ref = r.route().reference();
        boolean deleted = ref.contains(":") ? storage.deleteManifest(name, BlobEndpoints.digest(ref)) : storage.deleteTag(name, ref);
        if (!deleted) {
            throw new RegistryException(ErrorCode.MANIFEST_UNKNOWN, "manifest " + RepositoryName.shorten(ref)
                    + " is not in repository " + name);
        }
        return Reply.empty(202);
    }

    Reply tags(RegistryRequest r) throws IOException {
        String name = r.route().name();
        if (!storage.repositoryExists(name)) {
            throw new RegistryException(ErrorCode.NAME_UNKNOWN, "repository " + name + " is not known to this registry");
        }
        Page page = page(r, storage.tags(name), "/v2/" + name + "/tags/list");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("tags", page.items());
        return page.link(Reply.json(200, body));
    }

    Reply catalog(RegistryRequest r) throws IOException {
        Page page = page(r, storage.repositories(), "/v2/_catalog");
        return page.link(Reply.json(200, Map.of("repositories", page.items())));
    }

    Reply referrers(RegistryRequest r) throws IOException {
        String name = r.route().name();
        Digest subject = BlobEndpoints.digest(r.route().reference());
        Optional<String> filter = r.param("artifactType");
        List<Map<String, Object>> descriptors = new ArrayList<>();
        if (storage.repositoryExists(name)) {
            for (RegistryStorage.StoredManifest m : storage.referrers(name, subject)) {
                ManifestInfo info;
                try {
                    info = ManifestInfo.parse(Files.readAllBytes(m.path()), m.mediaType());
                } catch (RegistryException | java.nio.file.NoSuchFileException unreadable) {
                    continue;
                }
                if (filter.isPresent() && !filter.get().equals(info.artifactType())) {
                    continue;
                }
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("mediaType", m.mediaType());
                d.put("digest", m.digest().toString());
                d.put("size", m.size());
                if (!info.artifactType().isEmpty()) {
                    d.put("artifactType", info.artifactType());
                }
                if (!info.annotations().isEmpty()) {
                    d.put("annotations", info.annotations());
                }
                descriptors.add(d);
            }
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", ManifestInfo.OCI_INDEX);
        index.put("manifests", descriptors);
        Reply reply = Reply.json(200, index).header("Content-Type", ManifestInfo.OCI_INDEX);
        filter.ifPresent(f -> reply.header("OCI-Filters-Applied", "artifactType"));
        return reply;
    }

    /** One page of a sorted list: the items after ?last=, at most ?n= of them, and the next page's link. */
    private record Page(List<String> items, String next) {
        Reply link(Reply r) {
            return next == null ? r : r.header("Link", "<" + next + ">; rel=\"next\"");
        }
    }

    private static Page page(RegistryRequest r, List<String> all, String path) {
        Optional<String> last = r.param("last");
        List<String> after = last.isEmpty() ? all : all.stream().filter(t -> t.compareTo(last.get()) > 0).toList();
        Optional<String> n = r.param("n");
        if (n.isEmpty()) {
            return new Page(after, null);
        }
        int limit;
        try {
            limit = Integer.parseInt(n.get());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 0) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, 400, "invalid n=" + RepositoryName.shorten(n.get())
                    + " (a count of 0 or more)", null);
        }
        if (after.size() <= limit) {
            return new Page(after, null);
        }
        List<String> items = after.subList(0, limit);
        String next = items.isEmpty() ? null
                : path + "?n=" + limit + "&last=" + java.net.URLEncoder.encode(items.get(items.size() - 1), java.nio.charset.StandardCharsets.UTF_8);
        return new Page(items, next);
    }
}

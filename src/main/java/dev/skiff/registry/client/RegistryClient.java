package dev.skiff.registry.client;

import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.image.ImageService;
import dev.skiff.image.Progress;
import dev.skiff.image.Reference;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the daemon does with registries: pull, push, log in. Credentials come from the caller (the docker CLI's
 * X-Registry-Auth) or, when it sent none, from the daemon's own lookup.
 */
public final class RegistryClient {
    private final RegistryHttp http;
    private final ImageService images;
    private final MountSources mounts = new MountSources();
    private final Function<String, Credentials> ownCredentials;

    /** @param ownCredentials credentials for a registry domain when the request brings none (anonymous if none) */
    public RegistryClient(RegistryOptions options, ImageService images, Function<String, Credentials> ownCredentials) {
        this.http = new RegistryHttp(options);
        this.images = images;
        this.ownCredentials = ownCredentials;
    }

    /** The result of one pull. */
    public record Pulled(String imageId, String digest, boolean upToDate) {
    }

    /** The result of one push: the tag, the manifest digest, its size. */
    public record Pushed(String tag, String digest, long size) {
    }

    /**
     * Pulls {@code ref} (a tag or a digest; no tag means "latest"), choosing {@code platform} in an index.
     * Progress carries Docker's pull messages.
     */
    public Pulled pull(String ref, String platform, Credentials creds, Progress progress) {
        Reference r = Reference.parse(ref).withDefaultTag();
        ImagePuller.Result result = new ImagePuller(http, images, mounts).pull(r, platform, credsFor(r, creds), progress);
        return new Pulled(result.image().id(), result.digest(), result.upToDate());
    }

    /** What GET /distribution/{name}/json answers: the manifest's descriptor and the platforms it serves. */
    public record Distribution(String mediaType, String digest, long size, List<PlatformInfo> platforms) {
    }

    /** One platform of an image ("os.version" and "os.features" are Windows matters: not kept). */
    public record PlatformInfo(String os, String architecture, String variant) {
    }

    /**
     * Asks the registry what {@code ref} is without pulling it (dockerd's distribution inspect): the top manifest's
     * media type, digest and size, and its platforms: an index's entries, or an image manifest's config's.
     */
    public Distribution inspect(String ref, Credentials creds) {
        Reference r = Reference.parse(ref).withDefaultTag();
        String what = "manifest for " + r.familiar();
        RegistrySession s = registrySession(r, creds);
        String reference = r.digest() != null ? r.digest() : r.tag();
        ManifestFetcher.Fetched top = ManifestFetcher.fetch(s, r.path(), reference, what);
        List<PlatformInfo> platforms = new ArrayList<>();
        String mediaType;
        switch (Manifests.parse(top.bytes(), top.contentType(), r.familiar())) {
            case Manifests.ParsedIndex i -> {
                mediaType = i.index().mediaType();
                for (Manifests.Descriptor d : i.index().manifests()) {
                    Manifests.Platform p = d.platform();
                    if (p != null && !platforms.contains(new PlatformInfo(p.os(), p.architecture(), p.variant()))) {
                        platforms.add(new PlatformInfo(p.os(), p.architecture(), p.variant()));
                    }
                }
            }
            case Manifests.ParsedManifest m -> {
                mediaType = m.manifest().mediaType();
                byte[] config = BlobFetcher.small(s, r.path(), m.manifest().config(),
                        "image config of " + r.familiar());
                com.fasterxml.jackson.databind.JsonNode c = readJson(config, "the image config of " + r.familiar());
                platforms.add(new PlatformInfo(c.path("os").asText(""), c.path("architecture").asText(""),
                        c.path("variant").asText("")));
            }
        }
        return new Distribution(mediaType, top.digest(), top.bytes().length, platforms);
    }

    /** A session with the registry {@code r} names itself, not a mirror: what it answers is that registry's. */
    private RegistrySession registrySession(Reference r, Credentials creds) {
        return RegistrySession.open(http, http.pullBases(r.domain()).getLast(), credsFor(r, creds));
    }

    /** The tags of a repository (GET /v2/NAME/tags/list), for pulling all of them. */
    public List<String> tags(String repository, Credentials creds) {
        Reference r = Reference.parse(repository);
        RegistrySession s = registrySession(r, creds);
        HttpResponse<InputStream> resp = s.send(HttpRequest.newBuilder(s.uri("/v2/" + r.path() + "/tags/list")).GET(),
                List.of(Scopes.pull(r.path())));
        if (resp.statusCode() != 200) {
            throw RegistryErrors.of(resp, "tags of " + r.familiarName(), r.path(), s.hostPort());
        }
        List<String> tags = new ArrayList<>();
        readJson(resp, "the tag list of " + r.familiarName()).path("tags").forEach(t -> tags.add(t.asText()));
        if (tags.isEmpty()) {
            throw new NotFoundException("repository " + r.familiarName() + " has no tags");
        }
        return tags;
    }

    /** One `docker search` result, as the API's ImageSearchResponseItem. */
    public record SearchResult(String name, String description, int starCount, boolean official, boolean automated) {
    }

    /**
     * docker search: "busybox" asks Docker Hub, "localhost:5000/bus" that registry. A registry's v1 search API
     * (Docker Hub's) is asked first; a registry without one (the distribution spec has none: Skiff's own, Docker's
     * registry:2) answers from its /v2/_catalog, the repositories whose name contains the term.
     */
    public List<SearchResult> search(String term, int limit, Credentials creds) {
        String t = term == null ? "" : term.strip();
        String index = RegistryHttp.DOCKER_HUB;
        String query = t;
        int slash = t.indexOf('/');
        if (slash > 0) {
            String first = t.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                index = first;
                query = t.substring(slash + 1);
            }
        }
        if (query.isEmpty()) {
            throw new InvalidArgumentException("search term cannot be empty");
        }
        RegistrySession s = RegistrySession.open(http, http.base(RegistryHttp.endpointHost(index)), creds);
        HttpResponse<InputStream> resp = s.send(HttpRequest.newBuilder(s.uri("/v1/search?q="
                + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8) + "&n=" + limit)).GET(), List.of());
        if (resp.statusCode() == 200) {
            List<SearchResult> out = new ArrayList<>();
            for (com.fasterxml.jackson.databind.JsonNode r : readJson(resp, "search results of " + index).path("results")) {
                out.add(new SearchResult(r.path("name").asText(""), r.path("description").asText(""),
                        r.path("star_count").asInt(0), r.path("is_official").asBoolean(false),
                        r.path("is_automated").asBoolean(false)));
            }
            return out.size() > limit ? out.subList(0, limit) : out;
        }
        RegistrySession.close(resp);
        List<SearchResult> out = new ArrayList<>();
        String prefix = index.equals(RegistryHttp.DOCKER_HUB) ? "" : index + "/";
        // pages of 1000 (distribution's most), following the Link header, for at most 100 pages
        String page = "/v2/_catalog?n=1000";
        for (int pages = 0; page != null && pages < 100 && out.size() < limit; pages++) {
            HttpResponse<InputStream> catalog = s.send(HttpRequest.newBuilder(s.uri(page)).GET(),
                    List.of("registry:catalog:*"));
            if (catalog.statusCode() != 200) {
                throw RegistryErrors.of(catalog, "the catalog of " + index, "", s.hostPort());
            }
            page = nextPage(catalog.headers().firstValue("Link").orElse(null));
            for (com.fasterxml.jackson.databind.JsonNode r : readJson(catalog, "the catalog of " + index).path("repositories")) {
                String name = r.asText("");
                if (name.contains(query) && out.size() < limit) {
                    out.add(new SearchResult(prefix + name, "", 0, false, false));
                }
            }
        }
        return out;
    }

    /** The path and query of a Link header's rel="next" target ("</v2/_catalog?last=x&n=1000>; rel=\"next\""). */
    static String nextPage(String link) {
        if (link == null || !link.contains("rel=\"next\"")) {
            return null;
        }
        int lt = link.indexOf('<');
        int gt = link.indexOf('>', lt + 1);
        if (lt < 0 || gt < 0) {
            return null;
        }
        URI target = URI.create(link.substring(lt + 1, gt));
        String path = target.getRawPath();
        return path == null || !path.startsWith("/v2/_catalog") ? null
                : path + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    }

    /** A registry's JSON answer (a tag list, search results, a catalog page), read up to a manifest's bound. */
    private static com.fasterxml.jackson.databind.JsonNode readJson(HttpResponse<InputStream> resp, String what) {
        try (InputStream in = resp.body()) {
            return readJson(in.readNBytes(ManifestFetcher.MAX_MANIFEST), what);
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " is not JSON: " + e.getMessage());
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode readJson(byte[] bytes, String what) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = dev.skiff.sys.Json.MAPPER.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new InvalidArgumentException(what + " is not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new InvalidArgumentException(what + " is not JSON: " + e.getMessage());
        }
    }

    /** Pushes {@code ref} (with a tag) from the local store. */
    public Pushed push(String ref, Credentials creds, Progress progress) {
        Reference r = Reference.parse(ref).withDefaultTag();
        if (r.digest() != null) {
            throw new InvalidArgumentException("cannot push a digest reference " + ref + " (push a tag)");
        }
        ImagePusher.Result result = new ImagePusher(http, images, mounts).push(r, credsFor(r, creds), progress);
        return new Pushed(result.tag(), result.digest(), result.size());
    }

    /**
     * Checks credentials against a registry ("" or docker.io's index address means Docker Hub).
     *
     * @throws ForbiddenException when the registry refuses them
     */
    public void login(String serverAddress, Credentials creds) {
        String host = registryHost(serverAddress);
        RegistrySession s = RegistrySession.open(http, http.base(RegistryHttp.endpointHost(host)), creds);
        if (!s.requiresAuth()) {
            return; // an open registry accepts anyone, as dockerd reports
        }
        s.authenticate();
        HttpResponse<InputStream> r = s.send(HttpRequest.newBuilder(s.uri("/v2/")).GET(), List.of());
        RegistrySession.close(r);
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new ForbiddenException("login attempt to " + s.uri("/v2/") + " failed with status: " + r.statusCode()
                    + (r.statusCode() == 401 ? " Unauthorized" : " Forbidden"));
        }
    }

    /**
     * A platform as {@code os/arch[/variant]} the way registries and image configs spell it ("aarch64" is "arm64",
     * "linux/arm64/v8" is "linux/arm64"); an unknown OS or architecture is refused as dockerd refuses it.
     */
    public static String normalizedPlatform(String text) {
        return Manifests.Platform.parse(text).toString();
    }

    /** "https://index.docker.io/v1/", "localhost:5000", "http://127.0.0.1:5000" to a registry host. */
    public static String registryHost(String serverAddress) {
        String a = serverAddress == null ? "" : serverAddress.strip();
        if (a.isEmpty()) {
            return RegistryHttp.DOCKER_HUB;
        }
        if (a.contains("://")) {
            a = URI.create(a).getRawAuthority();
        }
        int slash = a.indexOf('/');
        if (slash >= 0) {
            a = a.substring(0, slash);
        }
        return a.equals("index.docker.io") || a.equals(RegistryHttp.DOCKER_HUB_ENDPOINT) ? RegistryHttp.DOCKER_HUB : a;
    }

    private Credentials credsFor(Reference r, Credentials given) {
        if (given != null && !given.isAnonymous()) {
            return given;
        }
        Credentials own = ownCredentials.apply(r.domain());
        return own == null ? Credentials.ANONYMOUS : own;
    }
}

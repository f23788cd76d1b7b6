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

    /** The tags of a repository (GET /v2/NAME/tags/list), for pulling all of them. */
    public List<String> tags(String repository, Credentials creds) {
        Reference r = Reference.parse(repository);
        RegistrySession s = RegistrySession.open(http, http.pullBases(r.domain()).getLast(), credsFor(r, creds));
        HttpResponse<InputStream> resp = s.send(HttpRequest.newBuilder(s.uri("/v2/" + r.path() + "/tags/list")).GET(),
                List.of(Scopes.pull(r.path())));
        if (resp.statusCode() != 200) {
            throw RegistryErrors.of(resp, "tags of " + r.familiarName(), r.path(), s.hostPort());
        }
        try (InputStream in = resp.body()) {
            List<String> tags = new ArrayList<>();
            dev.skiff.sys.Json.MAPPER.readTree(in.readNBytes(ManifestFetcher.MAX_MANIFEST)).path("tags")
                    .forEach(t -> tags.add(t.asText()));
            if (tags.isEmpty()) {
                throw new NotFoundException("repository " + r.familiarName() + " has no tags");
            }
            return tags;
        } catch (IOException e) {
            throw new InvalidArgumentException("the tag list of " + r.familiarName() + " is not JSON: " + e.getMessage());
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

package dev.skiff.registry.client;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.image.Digest;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/** GET /v2/NAME/manifests/REFERENCE: the bytes, bounded in size and verified against the digest asked for. */
final class ManifestFetcher {
    static final int MAX_MANIFEST = 4 << 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ManifestFetcher() {
    }

    /** A manifest as received: its exact bytes (their digest names it), the Content-Type, the digest. */
    record Fetched(byte[] bytes, String contentType, String digest) {
    }

    /**
     * @param repo      "library/busybox"
     * @param reference a tag or a "sha256:..." digest
     * @param what      how errors name it ("manifest for busybox:latest")
     */
    static Fetched fetch(RegistrySession s, String repo, String reference, String what) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/v2/" + repo + "/manifests/" + reference))
                .timeout(TIMEOUT).header("Accept", MediaTypes.ACCEPT).GET();
        HttpResponse<InputStream> r = s.send(b, List.of(Scopes.pull(repo)));
        if (r.statusCode() != 200) {
            throw RegistryErrors.of(r, what, repo, s.hostPort());
        }
        byte[] bytes;
        try (InputStream in = r.body()) {
            bytes = in.readNBytes(MAX_MANIFEST + 1);
        } catch (IOException e) {
            throw new UnavailableException("reading the " + what + " from registry " + s.hostPort() + ": "
                    + e.getMessage(), e);
        }
        if (bytes.length > MAX_MANIFEST) {
            throw new InvalidArgumentException("the " + what + " is larger than " + MAX_MANIFEST
                    + " bytes: refused (registry " + s.hostPort() + ")");
        }
        String actual = Digest.sha256(bytes).toString();
        if (Digest.isDigest(reference) && !reference.equals(actual)) {
            throw new InvalidArgumentException("the " + what + " from registry " + s.hostPort()
                    + " failed verification: it hashes to " + actual + ", not " + reference + " (refused; nothing stored)");
        }
        String claimed = r.headers().firstValue("Docker-Content-Digest").orElse("");
        if (!claimed.isEmpty() && claimed.startsWith("sha256:") && !claimed.equals(actual)) {
            throw new InvalidArgumentException("the " + what + " from registry " + s.hostPort()
                    + " failed verification: the registry says " + claimed + " but it hashes to " + actual
                    + " (refused; nothing stored)");
        }
        return new Fetched(bytes, r.headers().firstValue("Content-Type").orElse(""), actual);
    }
}

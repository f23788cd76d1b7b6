package dev.skiff.registry.client;

import dev.skiff.errors.InvalidArgumentException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** PUT /v2/NAME/manifests/TAG: the registry must answer 201 and, when it says one, the same digest. */
final class ManifestPusher {
    private ManifestPusher() {
    }

    static void put(RegistrySession s, String repo, String tag, byte[] manifest, String mediaType, String digest) {
        HttpRequest.Builder b = HttpRequest.newBuilder(s.uri("/v2/" + repo + "/manifests/" + tag))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest));
        HttpResponse<InputStream> r = s.send(b, List.of(Scopes.pullPush(repo)));
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw RegistryErrors.of(r, "pushing the manifest of " + repo + ":" + tag, repo, s.hostPort());
        }
        RegistrySession.close(r);
        String said = r.headers().firstValue("Docker-Content-Digest").orElse(digest);
        if (!said.equals(digest)) {
            throw new InvalidArgumentException("registry " + s.hostPort() + " stored the manifest of " + repo + ":" + tag
                    + " as " + said + " but it is " + digest + " (the registry altered it)");
        }
    }
}

package dev.skiff.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.image.Digest;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull-through cache's upstream: fetches a manifest or blob this registry lacks from another registry,
 * verifies it against its digest while storing it, and only then lets it be served. Two requests for the
 * same missing blob share one download. Upstream basic auth and its bearer-token flow are supported.
 */
public final class ProxyUpstream {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyUpstream.class);
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final String ACCEPT = String.join(", ", ManifestInfo.KNOWN);

    private final URI base;
    private final String basicAuth;
    private final RegistryStorage storage;
    private final HttpClient http;
    private final Map<String, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();

    public ProxyUpstream(URI base, String username, String password, RegistryStorage storage) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.basicAuth = username == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.storage = storage;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** Fetches and stores manifest {@code reference} of {@code name}; false when the upstream lacks it or is unreachable. */
    public boolean fetchManifest(String name, String reference) {
        try {
            HttpResponse<InputStream> resp = send(name, "/v2/" + name + "/manifests/" + reference, ACCEPT, Duration.ofSeconds(30));
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    return false;
                }
                byte[] bytes = in.readNBytes(ManifestInfo.MAX_BYTES + 1);
                if (bytes.length > ManifestInfo.MAX_BYTES) {
                    LOG.warn("upstream {} sent a manifest over {} bytes for {}:{}; refused", base, ManifestInfo.MAX_BYTES, name, reference);
                    return false;
                }
                Digest d = Digest.sha256(bytes);
                Optional<String> claimed = resp.headers().firstValue("Docker-Content-Digest");
                if ((Digest.isDigest(reference) && !reference.equals(d.toString()))
                        || (claimed.isPresent() && claimed.get().startsWith("sha256:") && !claimed.get().equals(d.toString()))) {
                    LOG.warn("upstream {} sent a manifest for {}:{} whose digest {} does not match; refused", base, name, reference, d);
                    return false;
                }
                ManifestInfo info = ManifestInfo.parse(bytes, resp.headers().firstValue("Content-Type").orElse(""));
                storage.putManifest(name, d, bytes, info, Digest.isDigest(reference) ? List.of() : List.of(reference), false);
                return true;
            }
        } catch (IOException | RegistryException e) {
            LOG.warn("cannot fetch manifest {}:{} from upstream {}: {}", name, reference, base, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Fetches and stores blob {@code d} of {@code name}; false when the upstream lacks it or is unreachable. */
    public boolean fetchBlob(String name, Digest d) {
        String key = name + "@" + d;
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.join();
        }
        try {
            boolean ok = download(name, d);
            mine.complete(ok);
            return ok;
        } catch (RuntimeException e) {
            mine.complete(false);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    private boolean download(String name, Digest d) {
        Path tmp = null;
        try {
            HttpResponse<InputStream> resp = send(name, "/v2/" + name + "/blobs/" + d, "*/*", Duration.ofMinutes(30));
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    return false;
                }
                tmp = Files.createTempFile(storage.uploadsDir(), "proxy-", ".blob");
                MessageDigest md = Digest.newSha256();
                try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
                    byte[] buf = new byte[1 << 16];
                    for (int n; (n = in.read(buf)) > 0; ) {
                        md.update(buf, 0, n);
                        out.write(buf, 0, n);
                    }
                }
                Digest got = Digest.of(md);
                if (!got.equals(d)) {
                    LOG.warn("upstream {} sent blob {} of {} with digest {}; refused", base, d, name, got);
                    return false;
                }
                try (var ch = java.nio.channels.FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                storage.commitBlob(name, d, tmp);
                return true;
            }
        } catch (IOException e) {
            LOG.warn("cannot fetch blob {} of {} from upstream {}: {}", d, name, base, e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // uploads/ is emptied at the next start
                }
            }
        }
    }

    private HttpResponse<InputStream> send(String name, String path, String accept, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", accept);
        if (basicAuth != null) {
            req.header("Authorization", basicAuth);
        }
        HttpResponse<InputStream> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        String challenge = resp.headers().firstValue("WWW-Authenticate").orElse("");
        if (resp.statusCode() != 401 || !challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return resp;
        }
        resp.body().close();
        String token = token(challenge, name);
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout).header("Accept", accept)
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Docker's token flow against the upstream's realm, for pull access to {@code name}. */
    private String token(String challenge, String name) throws IOException, InterruptedException {
        Matcher m = PARAM.matcher(challenge);
        String realm = null;
        String service = "";
        while (m.find()) {
            if (m.group(1).equals("realm")) {
                realm = m.group(2);
            } else if (m.group(1).equals("service")) {
                service = m.group(2);
            }
        }
        if (realm == null) {
            throw new IOException("the upstream's Bearer challenge names no realm");
        }
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + "service=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("repository:" + name + ":pull", StandardCharsets.UTF_8));
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (basicAuth != null) {
            req.header("Authorization", basicAuth);
        }
        HttpResponse<byte[]> resp = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (resp.statusCode() != 200 || resp.body().length > 1 << 20) {
            throw new IOException("the upstream's token server " + realm + " answered " + resp.statusCode());
        }
        JsonNode body = Json.MAPPER.readTree(resp.body());
        String token = body.path("token").asText(body.path("access_token").asText(""));
        if (token.isEmpty()) {
            throw new IOException("the upstream's token server " + realm + " sent no token");
        }
        return token;
    }
}

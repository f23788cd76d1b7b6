package dev.skiff.registry.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One conversation with one registry endpoint under one set of credentials (a pull, a push, a login): pings
 * /v2/ to learn how it authenticates, then attaches basic credentials or a bearer token for the request's scopes
 * to every request, fetching a token again once when the registry answers 401.
 */
final class RegistrySession {
    private static final int MAX_TOKEN_RESPONSE = 1 << 20;
    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(30);

    private final RegistryHttp http;
    private final URI base;
    private final String hostPort;
    private final Credentials creds;
    private volatile Challenge challenge;

    private RegistrySession(RegistryHttp http, URI base, Credentials creds) {
        this.http = http;
        this.base = base;
        this.hostPort = base.getRawAuthority();
        this.creds = creds;
    }

    /** Opens a session: GET /v2/ must answer 200 or 401 (which says how to authenticate). */
    static RegistrySession open(RegistryHttp http, URI base, Credentials creds) {
        RegistrySession s = new RegistrySession(http, base, creds);
        HttpRequest ping = HttpRequest.newBuilder(base.resolve("/v2/")).timeout(Duration.ofSeconds(15)).GET().build();
        HttpResponse<InputStream> r = http.send(s.hostPort, ping, HttpResponse.BodyHandlers.ofInputStream());
        close(r);
        if (r.statusCode() == 401) {
            s.learn(r);
        } else if (r.statusCode() == 400 && base.getScheme().equals("http")) {
            throw new UnavailableException("GET " + ping.uri() + ": registry " + s.hostPort() + " refused plain http:"
                    + " it speaks https with a certificate this daemon does not trust (put its CA in "
                    + http.options().certsRoot() + "/" + s.hostPort() + "/ca.crt)");
        } else if (r.statusCode() / 100 != 2) {
            throw new UnavailableException("GET " + ping.uri() + ": registry " + s.hostPort + " answered "
                    + r.statusCode() + " (is this an OCI distribution registry?)");
        }
        return s;
    }

    String hostPort() {
        return hostPort;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    Credentials credentials() {
        return creds;
    }

    /** Sends a request needing {@code scopes} ("repository:library/busybox:pull"); retries once after a 401. */
    HttpResponse<InputStream> send(HttpRequest.Builder builder, List<String> scopes) {
        authorization(scopes, false).ifPresent(a -> builder.setHeader("Authorization", a));
        HttpRequest request = builder.build();
        HttpResponse<InputStream> r = http.send(hostPort, request, HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 401 || creds.isAnonymous() && challenge != null && challenge.scheme().equals("basic")) {
            return r;
        }
        close(r);
        learn(r);
        Optional<String> auth = authorization(scopes, true);
        if (auth.isEmpty()) {
            return r;
        }
        builder.setHeader("Authorization", auth.get());
        return http.send(hostPort, builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    private void learn(HttpResponse<?> r) {
        for (String header : r.headers().allValues("WWW-Authenticate")) {
            for (Challenge c : Challenge.parse(header)) {
                if (c.scheme().equals("bearer") || c.scheme().equals("basic")) {
                    challenge = c;
                    return;
                }
            }
        }
    }

    /** Whether the registry asked for credentials at all. */
    boolean requiresAuth() {
        return challenge != null;
    }

    /** Proves the credentials (a login): basic is checked by the next request; bearer needs a token now. */
    void authenticate() {
        if (challenge != null && challenge.scheme().equals("bearer")) {
            token(List.of(), true);
        }
    }

    private Optional<String> authorization(List<String> scopes, boolean refresh) {
        if (!creds.registryToken().isEmpty()) {
            return Optional.of("Bearer " + creds.registryToken());
        }
        Challenge c = challenge;
        if (c == null) {
            return Optional.empty();
        }
        if (c.scheme().equals("basic")) {
            return creds.isAnonymous() ? Optional.empty() : Optional.of(creds.basicHeader());
        }
        return Optional.of("Bearer " + token(scopes, refresh));
    }

    private String token(List<String> scopes, boolean refresh) {
        Challenge c = challenge;
        String realm = c.param("realm");
        if (realm.isEmpty()) {
            throw new UnavailableException("registry " + hostPort + " asks for a bearer token but names no realm");
        }
        String service = c.param("service");
        String key = TokenCache.key(realm, service, String.join(" ", scopes), creds);
        if (!refresh) {
            Optional<String> cached = http.tokens().get(key);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        HttpRequest request = creds.identityToken().isEmpty() ? tokenGet(realm, service, scopes)
                : refreshTokenGrant(realm, service, scopes);
        String authority = request.uri().getRawAuthority();
        HttpResponse<InputStream> r = http.send(authority, request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = r.body()) {
            byte[] bytes = body.readNBytes(MAX_TOKEN_RESPONSE);
            if (r.statusCode() == 401 || r.statusCode() == 403 || (r.statusCode() == 400 && request.method().equals("POST"))) {
                // (an OAuth2 server answers a refresh token it no longer honours with 400 invalid_grant)
                throw new ForbiddenException("unauthorized: the token server " + authority + " refused the credentials"
                        + " for registry " + hostPort + " (" + creds + "; log in again with skiff login " + hostPort + ")");
            }
            if (r.statusCode() != 200) {
                throw new UnavailableException(request.method() + " " + realm + ": the token server of registry " + hostPort
                        + " answered " + r.statusCode());
            }
            JsonNode n = Json.MAPPER.readTree(bytes);
            String token = n.path("token").asText(n.path("access_token").asText(""));
            if (token.isEmpty()) {
                throw new UnavailableException("the token server " + authority + " of registry " + hostPort
                        + " answered without a token");
            }
            http.tokens().put(key, token, n.path("expires_in").asLong(60));
            return token;
        } catch (IOException e) {
            throw new UnavailableException("cannot read the token from " + authority + ": " + e.getMessage(), e);
        }
    }

    /** The token request of the distribution spec: GET realm?service&scope&account, basic credentials if any. */
    private HttpRequest tokenGet(String realm, String service, List<String> scopes) {
        StringBuilder q = new StringBuilder(realm).append(realm.contains("?") ? "&" : "?");
        if (!service.isEmpty()) {
            q.append("service=").append(enc(service)).append('&');
        }
        for (String scope : scopes) {
            q.append("scope=").append(enc(scope)).append('&');
        }
        if (!creds.isAnonymous()) {
            q.append("account=").append(enc(creds.username())).append('&');
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.substring(0, q.length() - 1)))
                .timeout(TOKEN_TIMEOUT).GET();
        if (!creds.isAnonymous()) {
            b.header("Authorization", creds.basicHeader());
        }
        return b.build();
    }

    /**
     * An identity token (the OAuth2 refresh token a login stored as "identitytoken") is exchanged as docker does:
     * POST realm with grant_type=refresh_token, client_id=docker, service and the scopes space-separated.
     */
    private HttpRequest refreshTokenGrant(String realm, String service, List<String> scopes) {
        StringBuilder form = new StringBuilder("grant_type=refresh_token&refresh_token=")
                .append(enc(creds.identityToken())).append("&client_id=docker");
        if (!service.isEmpty()) {
            form.append("&service=").append(enc(service));
        }
        if (!scopes.isEmpty()) {
            form.append("&scope=").append(enc(String.join(" ", scopes)));
        }
        return HttpRequest.newBuilder(URI.create(realm)).timeout(TOKEN_TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException ignored) {
            // the body is not needed
        }
    }
}

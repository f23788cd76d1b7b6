package dev.skiff.registry.server;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what. Three modes: open (no --htpasswd), basic auth against an htpasswd file, or bearer
 * tokens this registry issues itself at /token after checking the same htpasswd file (Docker's token
 * flow: a 401 with {@code WWW-Authenticate: Bearer realm=...,service=...,scope=...} sends the client to
 * the realm for a token with those scopes).
 */
public final class Authenticator {
    /** One thing a request needs: an action on a repository. */
    public record Need(String repository, String action) {
    }

    private final Htpasswd htpasswd;
    private final TokenAuthority tokens;
    private final String realm;
    private final Clock clock;

    /** @param realm the token endpoint's URL, or null for this registry's own /token on the host the client used */
    public Authenticator(Htpasswd htpasswd, TokenAuthority tokens, String realm, Clock clock) {
        if (tokens != null && htpasswd == null) {
            throw new IllegalArgumentException("token auth needs an htpasswd file to check users at the token endpoint");
        }
        this.htpasswd = htpasswd;
        this.tokens = tokens;
        this.realm = realm;
        this.clock = clock;
    }

    public static Authenticator open() {
        return new Authenticator(null, null, null, Clock.systemUTC());
    }

    public boolean enabled() {
        return htpasswd != null;
    }

    /**
     * The access of a request carrying {@code authorization} that needs {@code needs}; throws UNAUTHORIZED
     * (with the challenge) or DENIED otherwise. {@code baseUrl} ("http://host:port") builds the default realm.
     */
    public Access authorize(String authorization, List<Need> needs, boolean adminOnly, String baseUrl) {
        if (htpasswd == null) {
            return Access.ANYONE;
        }
        Optional<String> user = basicUser(authorization);
        if (tokens == null || adminOnly) {
            if (user.isEmpty()) {
                throw new RegistryException(ErrorCode.UNAUTHORIZED, authorization == null ? "authentication required"
                        : "invalid username or password").header("WWW-Authenticate", "Basic realm=\"Skiff Registry\"");
            }
            return Access.user(user.get());
        }
        Optional<Access> access = Optional.empty();
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            access = tokens.verify(authorization.substring(7).strip(), clock.instant());
        }
        if (access.isEmpty()) {
            throw challenge(needs, baseUrl, null, "authentication required");
        }
        for (Need n : needs) {
            if (!access.get().allows(n.repository(), n.action())) {
                throw challenge(needs, baseUrl, "insufficient_scope",
                        "the token does not grant " + n.action() + " on repository " + n.repository());
            }
        }
        return access.get();
    }

    private RegistryException challenge(List<Need> needs, String baseUrl, String error, String message) {
        Map<String, Set<String>> byRepo = new LinkedHashMap<>();
        for (Need n : needs) {
            Set<String> actions = byRepo.computeIfAbsent(n.repository(), k -> new LinkedHashSet<>());
            if (n.action().equals("push")) {
                actions.add("pull");
            }
            actions.add(n.action());
        }
        List<String> scopes = new ArrayList<>();
        byRepo.forEach((repo, actions) -> scopes.add("repository:" + repo + ":" + String.join(",", actions)));
        StringBuilder h = new StringBuilder("Bearer realm=\"").append(realm != null ? realm : baseUrl + "/token")
                .append("\",service=\"").append(tokens.service()).append('"');
        if (!scopes.isEmpty()) {
            h.append(",scope=\"").append(String.join(" ", scopes)).append('"');
        }
        if (error != null) {
            h.append(",error=\"").append(error).append('"');
        }
        return new RegistryException(ErrorCode.UNAUTHORIZED, message).header("WWW-Authenticate", h.toString());
    }

    /** The token endpoint: checks basic credentials if given and grants what the user may have of the scopes asked. */
    public Reply token(String authorization, List<String> scopes) {
        if (tokens == null) {
            throw new RegistryException(ErrorCode.UNSUPPORTED, "this registry does not issue tokens (start it with --token-key)");
        }
        String subject = "";
        List<TokenAuthority.Grant> granted = new ArrayList<>();
        if (authorization != null) {
            Optional<String> user = basicUser(authorization);
            if (user.isEmpty()) {
                throw new RegistryException(ErrorCode.UNAUTHORIZED, "invalid username or password")
                        .header("WWW-Authenticate", "Basic realm=\"Skiff Registry\"");
            }
            subject = user.get();
            for (TokenAuthority.Grant g : TokenAuthority.Grant.parse(scopes)) {
                Set<String> actions = new LinkedHashSet<>(g.actions());
                actions.retainAll(Set.of("pull", "push", "delete", "*"));
                if (g.type().equals("repository") && RepositoryName.isValid(g.name()) && !actions.isEmpty()) {
                    granted.add(new TokenAuthority.Grant(g.type(), g.name(), actions));
                }
            }
        }
        Instant now = clock.instant();
        String token = tokens.issue(subject, granted, now);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("access_token", token);
        body.put("expires_in", TokenAuthority.LIFETIME.toSeconds());
        body.put("issued_at", now.toString());
        return Reply.json(200, body);
    }

    private Optional<String> basicUser(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        return htpasswd.check(decoded.substring(0, colon), decoded.substring(colon + 1));
    }
}

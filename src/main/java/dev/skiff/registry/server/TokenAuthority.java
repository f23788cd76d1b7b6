package dev.skiff.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The registry as its own token server: it issues JSON Web Tokens (HS256, signed with a secret key file)
 * carrying per-repository grants in Docker's "access" claim, and checks them on every request. Issuer and
 * verifier are the same process, so a shared secret is enough; the key file is created (mode 0600) if
 * missing, so tokens survive restarts.
 */
public final class TokenAuthority {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    static final Duration LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_TOKEN = 8192;

    private final byte[] key;
    private final String issuer;
    private final String service;

    public TokenAuthority(byte[] key, String issuer, String service) {
        if (key.length < 16) {
            throw new IllegalArgumentException("the token key must be at least 16 bytes");
        }
        this.key = key.clone();
        this.issuer = issuer;
        this.service = service;
    }

    /** Reads the key from {@code file}, creating it with 32 random bytes if it does not exist. */
    public static byte[] loadOrCreateKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".token-key", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, k);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        byte[] k = Files.readAllBytes(file);
        if (k.length < 16) {
            throw new IOException("token key file " + file + " holds " + k.length + " bytes; it needs at least 16 (remove it to have one made)");
        }
        return k;
    }

    public String service() {
        return service;
    }

    /** One scope: "repository:NAME:pull,push". */
    public record Grant(String type, String name, Set<String> actions) {
        /** Parses the scope parameters of a token request; malformed scopes are skipped, as Docker does. */
        public static List<Grant> parse(List<String> scopes) {
            List<Grant> out = new ArrayList<>();
            for (String param : scopes) {
                for (String scope : param.split(" ")) {
                    int first = scope.indexOf(':');
                    int last = scope.lastIndexOf(':');
                    if (first <= 0 || last <= first) {
                        continue;
                    }
                    Set<String> actions = new LinkedHashSet<>(List.of(scope.substring(last + 1).split(",")));
                    actions.removeIf(String::isBlank);
                    out.add(new Grant(scope.substring(0, first), scope.substring(first + 1, last), actions));
                }
            }
            return out;
        }
    }

    /** A signed token for {@code subject} with {@code grants}. */
    public String issue(String subject, List<Grant> grants, Instant now) {
        List<Map<String, Object>> access = new ArrayList<>();
        for (Grant g : grants) {
            access.add(Map.of("type", g.type(), "name", g.name(), "actions", List.copyOf(g.actions())));
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject);
        claims.put("aud", service);
        claims.put("iat", now.getEpochSecond());
        claims.put("nbf", now.getEpochSecond() - 1);
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        claims.put("access", access);
        try {
            String head = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String body = B64.encodeToString(Json.COMPACT.writeValueAsBytes(claims));
            return head + "." + body + "." + B64.encodeToString(sign(head + "." + body));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode token claims", e);
        }
    }

    /** The access a token grants, or empty when it is malformed, forged, expired or for another service. */
    public Optional<Access> verify(String token, Instant now) {
        if (token.length() > MAX_TOKEN) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            byte[] expected = sign(parts[0] + "." + parts[1]);
            if (!MessageDigest.isEqual(expected, B64D.decode(parts[2]))) {
                return Optional.empty();
            }
            JsonNode head = Json.MAPPER.readTree(B64D.decode(parts[0]));
            JsonNode c = Json.MAPPER.readTree(B64D.decode(parts[1]));
            if (!"HS256".equals(head.path("alg").asText()) || !issuer.equals(c.path("iss").asText())
                    || !service.equals(c.path("aud").asText())
                    || now.getEpochSecond() >= c.path("exp").asLong(0) || now.getEpochSecond() < c.path("nbf").asLong(0)) {
                return Optional.empty();
            }
            Map<String, Set<String>> repos = new HashMap<>();
            for (JsonNode a : c.path("access")) {
                if (a.path("type").asText().equals("repository")) {
                    Set<String> actions = repos.computeIfAbsent(a.path("name").asText(), k -> new LinkedHashSet<>());
                    a.path("actions").forEach(x -> actions.add(x.asText()));
                }
            }
            return Optional.of(new Access(c.path("sub").asText(), false, Map.copyOf(repos)));
        } catch (IllegalArgumentException | IOException malformed) {
            return Optional.empty();
        }
    }

    private byte[] sign(String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}

package dev.skiff.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a registry server runs: from flags, a YAML or JSON file, or both (flags win). Null means "not set".
 *
 * <pre>
 * addr: 127.0.0.1:5000          # HOST:PORT, or :PORT for every interface
 * root: /var/lib/skiff-registry
 * readOnly: false
 * auth: {htpasswd: FILE, token: {key: FILE, realm: URL, issuer: NAME, service: NAME}}
 * tls: {cert: PEM, key: PEM}
 * proxy: {url: URL, username: NAME, password: SECRET}
 * gc: {interval: 1h, grace: 1h}
 * </pre>
 */
public record RegistryConfig(String addr, Path root, Path htpasswd, Path tokenKey, String tokenRealm, String tokenIssuer,
                             String tokenService, Path tlsCert, Path tlsKey, Boolean readOnly, String proxyUrl,
                             String proxyUsername, String proxyPassword, Duration gcInterval, Duration gcGrace) {
    public static final String DEFAULT_ADDR = ":5000";
    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    public static RegistryConfig empty() {
        return new RegistryConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** Reads a YAML (or JSON, which YAML includes) config file. */
    public static RegistryConfig load(Path file) throws IOException {
        JsonNode n;
        try {
            n = new YAMLMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("cannot read registry config " + file + ": " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException("registry config " + file + " is not a mapping of settings");
        }
        JsonNode auth = n.path("auth");
        JsonNode token = auth.path("token");
        return new RegistryConfig(text(n, "addr"), path(n.path("root")), path(auth.path("htpasswd")), path(token.path("key")),
                text(token, "realm"), text(token, "issuer"), text(token, "service"),
                path(n.path("tls").path("cert")), path(n.path("tls").path("key")),
                n.has("readOnly") ? n.get("readOnly").asBoolean() : null,
                text(n.path("proxy"), "url"), text(n.path("proxy"), "username"), text(n.path("proxy"), "password"),
                duration(text(n.path("gc"), "interval")), duration(text(n.path("gc"), "grace")));
    }

    /** This config with every setting {@code over} has replacing this one's. */
    public RegistryConfig overriddenBy(RegistryConfig over) {
        return new RegistryConfig(or(over.addr, addr), or(over.root, root), or(over.htpasswd, htpasswd),
                or(over.tokenKey, tokenKey), or(over.tokenRealm, tokenRealm), or(over.tokenIssuer, tokenIssuer),
                or(over.tokenService, tokenService), or(over.tlsCert, tlsCert), or(over.tlsKey, tlsKey),
                or(over.readOnly, readOnly), or(over.proxyUrl, proxyUrl), or(over.proxyUsername, proxyUsername),
                or(over.proxyPassword, proxyPassword), or(over.gcInterval, gcInterval), or(over.gcGrace, gcGrace));
    }

    public String addrOrDefault() {
        return addr == null ? DEFAULT_ADDR : addr;
    }

    public Duration graceOrDefault() {
        return gcGrace == null ? DEFAULT_GRACE : gcGrace;
    }

    /** "30s", "10m", "1h", "7d", "0s". */
    public static Duration duration(String v) {
        if (v == null) {
            return null;
        }
        Matcher m = DURATION.matcher(v.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid duration \"" + v + "\" (a number and ms, s, m, h or d: 30m, 1h)");
        }
        long x = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(x);
            case "s" -> Duration.ofSeconds(x);
            case "m" -> Duration.ofMinutes(x);
            case "h" -> Duration.ofHours(x);
            default -> Duration.ofDays(x);
        };
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Path path(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : Path.of(n.asText());
    }
}

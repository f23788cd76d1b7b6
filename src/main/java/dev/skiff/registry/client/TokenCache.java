package dev.skiff.registry.client;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens by registry, credentials and scope, until shortly before they expire: a pull of five layers asks
 * the token server once, not six times.
 */
final class TokenCache {
    private static final int MAX_ENTRIES = 1024;
    private static final long MARGIN_SECONDS = 10;

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(String token, Instant expires) {
    }

    static String key(String realm, String service, String scope, Credentials creds) {
        return realm + "\n" + service + "\n" + scope + "\n" + creds.username() + "\n"
                + Integer.toHexString((creds.password() + creds.identityToken()).hashCode());
    }

    Optional<String> get(String key) {
        Entry e = entries.get(key);
        if (e == null || Instant.now().isAfter(e.expires())) {
            return Optional.empty();
        }
        return Optional.of(e.token());
    }

    void put(String key, String token, long expiresInSeconds) {
        if (entries.size() >= MAX_ENTRIES) {
            entries.clear();
        }
        long life = Math.max(expiresInSeconds <= 0 ? 60 : expiresInSeconds, MARGIN_SECONDS * 2) - MARGIN_SECONDS;
        entries.put(key, new Entry(token, Instant.now().plusSeconds(life)));
    }
}

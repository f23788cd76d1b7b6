package dev.skiff.registry.server;

import dev.skiff.image.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.mindrot.jbcrypt.BCrypt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users and bcrypt password hashes from an Apache htpasswd file ({@code htpasswd -B}), as the distribution
 * registry reads them. The file is re-read when it changes. bcrypt is slow on purpose, so a credential that
 * verified once is remembered (by its SHA-256, never in clear) until the file changes.
 */
public final class Htpasswd {
    private static final Logger LOG = LoggerFactory.getLogger(Htpasswd.class);
    private static final int MAX_CACHE = 1024;

    private final Path file;
    private volatile Map<String, String> users = Map.of();
    private volatile FileTime loadedAt;
    private final Map<String, String> verified = new ConcurrentHashMap<>();

    public Htpasswd(Path file) throws IOException {
        this.file = file;
        reloadIfChanged();
        if (users.isEmpty()) {
            LOG.warn("htpasswd file {} has no bcrypt users: nobody can log in", file);
        }
    }

    /** The user name if {@code user} and {@code password} match an entry. */
    public Optional<String> check(String user, String password) {
        try {
            reloadIfChanged();
        } catch (IOException e) {
            LOG.warn("cannot re-read htpasswd file {}: {} (keeping the users read before)", file, e.toString());
        }
        String hash = users.get(user);
        if (hash == null) {
            return Optional.empty();
        }
        String key = Digest.sha256(user + "\0" + password + "\0" + hash).toString();
        if (verified.containsKey(key)) {
            return Optional.of(user);
        }
        boolean ok;
        try {
            // jBCrypt knows the $2a$ prefix; $2y$ (htpasswd) and $2b$ name the same algorithm for such inputs.
            ok = BCrypt.checkpw(password, "$2a$" + hash.substring(4));
        } catch (IllegalArgumentException malformed) {
            ok = false;
        }
        if (ok) {
            if (verified.size() >= MAX_CACHE) {
                verified.clear();
            }
            verified.put(key, user);
            return Optional.of(user);
        }
        return Optional.empty();
    }

    private synchronized void reloadIfChanged() throws IOException {
        FileTime now = Files.getLastModifiedTime(file);
        if (now.equals(loadedAt)) {
            return;
        }
        Map<String, String> read = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            int colon = l.indexOf(':');
            if (l.isEmpty() || l.startsWith("#") || colon <= 0) {
                continue;
            }
            String hash = l.substring(colon + 1);
            if (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$")) {
                read.put(l.substring(0, colon), hash);
            } else {
                LOG.warn("htpasswd user {} has no bcrypt hash (make it with htpasswd -B): ignored", l.substring(0, colon));
            }
        }
        users = Map.copyOf(read);
        verified.clear();
        loadedAt = now;
    }

    /** A bcrypt htpasswd line for {@code user}: for tests and for documentation examples. */
    public static String line(String user, String password) {
        return user + ":" + BCrypt.hashpw(password, BCrypt.gensalt(10)).replaceFirst("^\\$2a\\$", "\\$2y\\$");
    }
}

package dev.skiff.registry.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The upload sessions of this process. Sessions live in memory (with their running digests), so a session
 * left by a previous process cannot be resumed: its file is removed when the registry starts.
 */
public final class UploadSessions {
    private static final Logger LOG = LoggerFactory.getLogger(UploadSessions.class);
    /** Bounds the disk abandoned pushes can hold, the session table and the open files (one per session). */
    static final int MAX_SESSIONS = 1_000;

    private final Path dir;
    private final Map<String, UploadSession> sessions = new ConcurrentHashMap<>();

    UploadSessions(Path dir) throws IOException {
        this.dir = dir;
        removeStale();
    }

    private void removeStale() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    public UploadSession start(String repository) throws IOException {
        if (sessions.size() >= MAX_SESSIONS) {
            throw new RegistryException(ErrorCode.TOOMANYREQUESTS, "too many uploads in progress (finish or cancel some)");
        }
        String id = UUID.randomUUID().toString();
        UploadSession s = new UploadSession(id, repository, dir.resolve(id));
        sessions.put(id, s);
        return s;
    }

    /** The session {@code id} of {@code repository}, if it is open. */
    public Optional<UploadSession> find(String repository, String id) {
        UploadSession s = sessions.get(id);
        return s != null && s.repository().equals(repository) ? Optional.of(s) : Optional.empty();
    }

    /** Ends a session whose file was committed (moved away) or is to be dropped. */
    void finish(UploadSession s, boolean discard) {
        sessions.remove(s.id(), s);
        if (discard) {
            s.discard();
        } else {
            s.close();
        }
    }

    /** Cancels sessions nobody used for {@code idle}: abandoned pushes. */
    public int reapIdle(Duration idle) {
        Instant cutoff = Instant.now().minus(idle);
        int n = 0;
        for (UploadSession s : sessions.values()) {
            if (s.lastUsed().isBefore(cutoff) && s.acquire()) {
                try {
                    finish(s, true);
                    n++;
                } finally {
                    s.release();
                }
            }
        }
        if (n > 0) {
            LOG.info("cancelled {} upload sessions idle for more than {}", n, idle);
        }
        return n;
    }

    void closeAll() {
        for (UploadSession s : sessions.values()) {
            finish(s, true);
        }
    }
}

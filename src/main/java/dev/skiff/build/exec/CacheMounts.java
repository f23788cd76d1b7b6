package dev.skiff.build.exec;

import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The persistent directories of RUN --mount=type=cache, under {@code <data-root>/builder/cache/<hash of id>/data}
 * (the id itself kept beside it for `docker system df`). Sharing modes as BuildKit's: shared (any number of
 * steps at once), locked (one step at a time, the others wait), private (a step that finds it busy gets a
 * throw-away directory of its own).
 */
public final class CacheMounts {
    private final Path root;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Integer> users = new ConcurrentHashMap<>();

    public CacheMounts(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** A mounted cache directory; closing it releases the lock and deletes a private throw-away copy. */
    public record Lease(Path dir, Runnable release) implements AutoCloseable {
        @Override
        public void close() {
            release.run();
        }
    }

    /**
     * @param mode permission bits for a new directory (null: 0755), {@code uid}/{@code gid} its owner (null: root)
     */
    public Lease acquire(String id, String sharing, Integer mode, Long uid, Long gid, Cancellation cancel) {
        String key = key(id);
        Path dir = root.resolve(key);
        try {
            Path data = dir.resolve("data");
            if (!Files.isDirectory(data)) {
                Files.createDirectories(data);
                Files.writeString(dir.resolve("id"), id, StandardCharsets.UTF_8);
                setOwner(data, mode, uid, gid);
            }
            ReentrantLock lock = locks.computeIfAbsent(key, k -> new ReentrantLock());
            switch (sharing) {
                case "LOCKED" -> {
                    while (!lock.tryLock(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                        cancel.check();
                    }
                    users.merge(key, 1, Integer::sum);
                    return new Lease(data, () -> {
                        users.merge(key, -1, Integer::sum);
                        lock.unlock();
                    });
                }
                case "PRIVATE" -> {
                    if (lock.tryLock()) {
                        users.merge(key, 1, Integer::sum);
                        return new Lease(data, () -> {
                            users.merge(key, -1, Integer::sum);
                            lock.unlock();
                        });
                    }
                    Path scratch = Files.createTempDirectory(root, "private-");
                    setOwner(scratch, mode, uid, gid);
                    return new Lease(scratch, () -> Trees.delete(scratch));
                }
                default -> {
                    users.merge(key, 1, Integer::sum);
                    return new Lease(data, () -> users.merge(key, -1, Integer::sum));
                }
            }
        } catch (IOException e) {
            throw new UnavailableException("cannot prepare the cache mount " + id + " in " + dir + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.BuildCancelledException();
        }
    }

    /** Whether a running step uses the cache directory named {@code key} (a directory name under root). */
    public boolean inUse(String key) {
        return users.getOrDefault(key, 0) > 0;
    }

    /** Deletes the throw-away private copies a crash left behind. */
    public void cleanLeftovers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var list = Files.list(root)) {
            list.filter(p -> p.getFileName().toString().startsWith("private-")).forEach(Trees::delete);
        } catch (IOException e) {
            // nothing to clean
        }
    }

    private static void setOwner(Path dir, Integer mode, Long uid, Long gid) throws IOException {
        if (mode != null) {
            Set<PosixFilePermission> perms = java.util.EnumSet.noneOf(PosixFilePermission.class);
            PosixFilePermission[] all = PosixFilePermission.values();
            for (int i = 0; i < 9; i++) {
                if ((mode & (1 << (8 - i))) != 0) {
                    perms.add(all[i]);
                }
            }
            Files.setPosixFilePermissions(dir, perms);
        }
        if (uid != null || gid != null) {
            Files.setAttribute(dir, "unix:uid", uid == null ? 0 : uid.intValue(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(dir, "unix:gid", gid == null ? 0 : gid.intValue(), java.nio.file.LinkOption.NOFOLLOW_LINKS);
        }
    }

    static String key(String id) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

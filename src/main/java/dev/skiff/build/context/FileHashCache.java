package dev.skiff.build.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content hashes of files, remembered while a file's size, mtime and inode stay the same, so a rebuild
 * hashes only what changed. Safe to share between builds and threads. The cache key never includes the
 * mtime itself: it only decides whether the old hash may be reused.
 */
public final class FileHashCache {
    private record Key(Path path, long size, long mtimeNanos, Object inode) {
    }

    private static final int MAX_ENTRIES = 1_000_000;
    private final ConcurrentHashMap<Key, String> hashes = new ConcurrentHashMap<>();

    /**
     * Records a hash computed elsewhere (while the file was written, e.g. unpacking a context), valid
     * while the file keeps the size, mtime and inode {@code attrs} give.
     */
    public void remember(Path file, BasicFileAttributes attrs, String sha256) {
        long mtime = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        if (hashes.size() >= MAX_ENTRIES) {
            hashes.clear();
        }
        hashes.put(new Key(file, attrs.size(), mtime, attrs.fileKey()), sha256);
    }

    /** The hex sha256 of {@code file}'s content. */
    public String sha256(Path file, BasicFileAttributes attrs) throws IOException {
        long mtime = attrs.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS);
        Key key = new Key(file, attrs.size(), mtime, attrs.fileKey());
        String known = hashes.get(key);
        if (known != null) {
            return known;
        }
        String hash = hash(file);
        if (hashes.size() >= MAX_ENTRIES) {
            hashes.clear();
        }
        hashes.put(key, hash);
        return hash;
    }

    /** Drops the hashes of files below {@code root}, a directory that is being deleted (a finished build's context). */
    public void forgetBelow(Path root) {
        hashes.keySet().removeIf(k -> k.path().startsWith(root));
    }

    public static String hash(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

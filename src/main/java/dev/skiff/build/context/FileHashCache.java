package dev.skiff.build.context;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content hashes of files, remembered while a file's size, mtime and inode stay the same, so a rebuild
 * hashes only what changed. Safe to share between builds and threads. The cache key never includes the
 * mtime itself: it only decides whether the old hash may be reused.
 *
 * <p>A build context's files are not entered one by one: its unpacking's own records (name, size, mtime, hash)
 * are looked up instead ({@link #rememberTree}), so a context of 100,000 files costs no second 100,000 entries
 * (a key, a path and an inode object each: some 330 bytes a file) and no stat apiece to make them.
 */
public final class FileHashCache {
    private record Key(Path path, long size, long mtimeNanos, Object inode) {
    }

    /** Bounds the entries of files hashed one by one (a stage's or an image's files; some 330 bytes each). */
    private static final int MAX_ENTRIES = 200_000;
    private final ConcurrentHashMap<Key, String> hashes = new ConcurrentHashMap<>();
    /** Unpacked trees (build contexts) by their normalized absolute root: their files' records by relative path. */
    private final ConcurrentHashMap<Path, Map<String, ContextArchive.FileRecord>> trees = new ConcurrentHashMap<>();

    /**
     * Takes the hashes of the files under {@code root} from {@code files} (by "/"-separated path below it), as
     * long as a file keeps the size and mtime its record gives. Nothing may write those files in place (a
     * context's are replaced, never rewritten); {@link #forgetBelow} lets go of the tree.
     */
    public void rememberTree(Path root, Map<String, ContextArchive.FileRecord> files) {
        trees.put(root.toAbsolutePath().normalize(), files);
    }

    /** The hex sha256 of {@code file}'s content. */
    public String sha256(Path file, BasicFileAttributes attrs) throws IOException {
        String recorded = fromTree(file, attrs);
        if (recorded != null) {
            return recorded;
        }
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

    /** How many files are remembered one by one (a context's are not: see {@link #rememberTree}). */
    int entries() {
        return hashes.size();
    }

    private String fromTree(Path file, BasicFileAttributes attrs) {
        for (Map.Entry<Path, Map<String, ContextArchive.FileRecord>> tree : trees.entrySet()) {
            if (file.startsWith(tree.getKey()) && file.isAbsolute()) {
                ContextArchive.FileRecord r = tree.getValue().get(tree.getKey().relativize(file).toString());
                if (r != null && r.size() == attrs.size()
                        && r.mtime().equals(attrs.lastModifiedTime().toInstant())) {
                    return r.sha256();
                }
                return null;
            }
        }
        return null;
    }

    /** Drops the hashes of files below {@code root}, a directory that is being deleted (a finished build's context). */
    public void forgetBelow(Path root) {
        Path normalized = root.toAbsolutePath().normalize();
        hashes.keySet().removeIf(k -> k.path().startsWith(root));
        trees.keySet().removeIf(r -> r.startsWith(normalized));
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

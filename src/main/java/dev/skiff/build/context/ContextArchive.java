package dev.skiff.build.context;

import dev.skiff.errors.InvalidArgumentException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks an untrusted build-context tar (the body of POST /build, or a tar on stdin; identity, gzip,
 * bzip2, xz or zstd) into an empty directory. Refuses names that climb out with "..", writes through a
 * symlinked parent, hardlinks to anything outside or missing, and contexts over the size or entry limits;
 * symlinks are created as they are and never followed. Device nodes and fifos are skipped (a context
 * holds files). Owners are not kept: COPY makes files 0:0 unless --chown says otherwise.
 */
public final class ContextArchive {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    public static final int MAX_ENTRIES = 1_000_000;

    private ContextArchive() {
    }

    /** Extracts {@code tar} into {@code root}; returns the bytes of file content written. */
    public static long extract(InputStream tar, Path root, long maxBytes) throws IOException {
        return extract(tar, root, maxBytes, null);
    }

    /**
     * Like {@link #extract(InputStream, Path, long)}, and records each file's sha256 in {@code hashes} as
     * it is written, so the COPY digests of this context cost no second read.
     */
    public static long extract(InputStream tar, Path root, long maxBytes, FileHashCache hashes) throws IOException {
        Path top = root.toAbsolutePath().normalize();
        Files.createDirectories(top);
        TarArchiveInputStream in = new TarArchiveInputStream(decompress(tar), StandardCharsets.UTF_8.name());
        long total = 0;
        int count = 0;
        List<Object[]> dirTimes = new ArrayList<>();
        for (TarArchiveEntry e; (e = next(in)) != null; ) {
            if (++count > MAX_ENTRIES) {
                throw new InvalidArgumentException("the build context has more than " + MAX_ENTRIES + " entries");
            }
            String rel = relative(e.getName());
            if (rel.isEmpty()) {
                continue;
            }
            Path target = safeTarget(top, rel);
            int mode = e.getMode() & 07777;
            if (e.isDirectory()) {
                if (Files.isDirectory(target, NOFOLLOW)) {
                    setMode(target, mode == 0 ? 0755 : mode);
                } else {
                    Files.deleteIfExists(target);
                    Files.createDirectory(target);
                    setMode(target, mode == 0 ? 0755 : mode);
                }
                dirTimes.add(new Object[] {target, e.getLastModifiedDate().getTime()});
                continue;
            }
            if (Files.isDirectory(target, NOFOLLOW)) {
                throw new InvalidArgumentException("build context entry " + e.getName() + " replaces a directory");
            }
            Files.deleteIfExists(target);
            if (e.isSymbolicLink()) {
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            } else if (e.isLink()) {
                Path linked = safeTarget(top, relative(e.getLinkName()));
                if (!Files.isRegularFile(linked, NOFOLLOW)) {
                    throw new InvalidArgumentException("build context entry " + e.getName() + " is a hardlink to "
                            + e.getLinkName() + ", which is not a file earlier in the archive");
                }
                Files.createLink(target, linked);
            } else if (e.isFile()) {
                total += e.getSize();
                if (total > maxBytes) {
                    throw new InvalidArgumentException("the build context is larger than " + maxBytes
                            + " bytes (exclude files with .dockerignore)");
                }
                java.security.MessageDigest sha = FileHashCache.sha256();
                try (OutputStream out = new java.security.DigestOutputStream(Files.newOutputStream(target), sha)) {
                    in.transferTo(out);
                }
                setMode(target, mode);
                Files.setLastModifiedTime(target, FileTime.from(e.getLastModifiedDate().toInstant()));
                if (hashes != null) {
                    hashes.remember(target, Files.readAttributes(target, java.nio.file.attribute.BasicFileAttributes.class, NOFOLLOW),
                            java.util.HexFormat.of().formatHex(sha.digest()));
                }
            }
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime((Path) dirTimes.get(i)[0], FileTime.fromMillis((Long) dirTimes.get(i)[1]));
        }
        return total;
    }

    /** The next entry; a malformed header is the client's error, not ours. */
    private static TarArchiveEntry next(TarArchiveInputStream in) throws IOException {
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidArgumentException("the build context is not a valid tar archive: " + e.getMessage(), e);
        }
    }

    private static String relative(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("build context entry name contains a NUL byte");
        }
        for (String part : name.split("/")) {
            if (part.equals("..")) {
                throw new InvalidArgumentException("build context entry " + name + " points outside the context");
            }
        }
        return PathPattern.clean(name);
    }

    /**
     * The path for {@code rel} under {@code top}, creating missing parents; refuses when an existing
     * parent is a symlink (writing through it could land outside).
     */
    static Path safeTarget(Path top, String rel) throws IOException {
        Path current = top;
        String[] parts = rel.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            current = current.resolve(parts[i]);
            if (Files.isSymbolicLink(current)) {
                throw new InvalidArgumentException("build context entry " + rel + " would be written through the symlink "
                        + top.relativize(current));
            }
            if (!Files.exists(current, NOFOLLOW)) {
                Files.createDirectory(current);
            } else if (!Files.isDirectory(current, NOFOLLOW)) {
                throw new InvalidArgumentException("build context entry " + rel + " is below the file " + top.relativize(current));
            }
        }
        return current.resolve(parts[parts.length - 1]);
    }

    private static void setMode(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, NOFOLLOW);
    }

    /** Identity, gzip, bzip2, xz or zstd, told apart by magic bytes as the Docker API allows. */
    public static InputStream decompress(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(8);
        byte[] h = in.readNBytes(6);
        in.reset();
        if (h.length >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (h.length >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
            return new BZip2CompressorInputStream(in, true);
        }
        if (h.length >= 6 && (h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z' && h[5] == 0) {
            return new XZCompressorInputStream(in, true);
        }
        if (h.length >= 4 && (h[0] & 0xff) == 0x28 && (h[1] & 0xff) == 0xb5 && (h[2] & 0xff) == 0x2f && (h[3] & 0xff) == 0xfd) {
            return new BufferedInputStream(new com.github.luben.zstd.ZstdInputStream(in), 1 << 16);
        }
        return in;
    }
}

package dev.skiff.build.context;

import dev.skiff.errors.InvalidArgumentException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
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
    public static final int MAX_ENTRIES = 1_000_000;

    private ContextArchive() {
    }

    /**
     * The unpacked context: where it is (see {@link ContextPlacement}), its bytes of file content, the regular
     * files it wrote (by name relative to the root) as a later unpacking into the same placement may link them
     * (empty when it was not hashed), every name it left in the tree (files, directories, links), for a later
     * update over it to find the names it no longer has without walking the tree, and its signature: a sha256 of
     * every entry's name, type, mode, size, content hash or link target, in archive order (null when it was not
     * hashed). Two unpackings with one signature left the same tree, down to every byte a COPY from it reads
     * (owners are always the daemon's, and the directories the archive does not list get the same default mode).
     */
    public record Unpacked(Path root, long bytes, java.util.Map<String, FileRecord> files, java.util.Set<String> names,
                           String signature) {
    }

    /**
     * One unpacked file: what the archive said of it and the sha256 of its content. A context holds one per file
     * for as long as it is kept, so the fields are plain (88 bytes; a record of an Instant and a hex String was 160).
     */
    public static final class FileRecord {
        private final long size;
        private final long mtimeSeconds;
        private final int mtimeNanos;
        private final int mode;
        private final byte[] sha256;

        public FileRecord(long size, int mode, java.time.Instant mtime, String sha256Hex) {
            this.size = size;
            this.mode = mode;
            this.mtimeSeconds = mtime.getEpochSecond();
            this.mtimeNanos = mtime.getNano();
            this.sha256 = java.util.HexFormat.of().parseHex(sha256Hex);
        }

        public long size() {
            return size;
        }

        public int mode() {
            return mode;
        }

        public java.time.Instant mtime() {
            return java.time.Instant.ofEpochSecond(mtimeSeconds, mtimeNanos);
        }

        /** The hex sha256 of the content. */
        public String sha256() {
            return java.util.HexFormat.of().formatHex(sha256);
        }
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
        return extract(tar, ContextPlacement.at(root), maxBytes, hashes).bytes();
    }

    /** Extracts {@code tar} where {@code placement} says, hashing each file into {@code hashes} (may be null). */
    public static Unpacked extract(InputStream tar, ContextPlacement placement, long maxBytes, FileHashCache hashes)
            throws IOException {
        return new ContextUnpacker(placement, null, maxBytes, hashes, null, null).run(tar);
    }

    /**
     * Extracts {@code tar} into the directory {@code tree} below {@code placement.dir()}; or, given {@code previous}
     * (an earlier hashed unpacking in a tree of the same placement) and a null {@code tree}, over that one in its
     * directory, keeping the files that are the same instead of writing them (see {@link ContextUnpacker}).
     */
    public static Unpacked extract(InputStream tar, ContextPlacement placement, String tree, long maxBytes,
                                   FileHashCache hashes, Unpacked previous) throws IOException {
        return extract(tar, placement, tree, maxBytes, hashes, previous, null);
    }

    /** Like the above, telling {@code listener} of each entry as soon as it is unpacked. */
    public static Unpacked extract(InputStream tar, ContextPlacement placement, String tree, long maxBytes,
                                   FileHashCache hashes, Unpacked previous, EntryListener listener) throws IOException {
        return new ContextUnpacker(placement, tree, maxBytes, hashes, previous, listener).run(tar);
    }

    /** Hears of each entry right after it is unpacked, on the unpacking thread. */
    @FunctionalInterface
    public interface EntryListener {
        /**
         * @param rel     the entry's name relative to the context root
         * @param path    where it is
         * @param regular whether it is a regular file with content of its own (not a hardlink, symlink or directory)
         */
        void unpacked(String rel, Path path, boolean regular) throws IOException;
    }

    /**
     * The next entry; a malformed header is the client's error, not ours. A stream that ends right after an entry's
     * data, without the padding to 512 bytes and the end-of-archive blocks, ends there: the docker CLI sends such a
     * context whenever the Dockerfile comes from stdin or from outside the context (its ReplaceFileTarWrapper closes
     * the pipe before the tar writer, whose Close would write them) and dockerd takes it. Only when none of the
     * entry's own bytes are missing: a stream cut inside the data stays an error.
     */
    static TarArchiveEntry next(TarArchiveInputStream in) throws IOException {
        boolean dataRead = in.getCurrentEntry() == null || in.available() == 0;
        try {
            return in.getNextEntry();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidArgumentException("the build context is not a valid tar archive: " + e.getMessage(), e);
        } catch (IOException e) {
            if (dataRead && "Truncated TAR archive".equals(e.getMessage())) {
                return null;
            }
            throw e;
        }
    }

    /** The clean name an entry called {@code name} is unpacked under ("./a//b" is "a/b"). */
    public static String relative(String name) {
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

    /** Identity, gzip, bzip2, xz or zstd, told apart by magic bytes as the Docker API allows. */
    public static InputStream decompress(InputStream raw) throws IOException {
        return decompressBuffered(new BufferedInputStream(raw, 1 << 16));
    }

    /**
     * As {@link #decompress}, for a stream that buffers already (a request body, whose small reads are no system
     * calls): the magic is read back through a pushback, not a buffer of its own, so an uncompressed context (what
     * the docker CLI sends) reaches the tar reader without one more copy of every byte.
     */
    static InputStream decompressBuffered(InputStream raw) throws IOException {
        java.io.PushbackInputStream in = new java.io.PushbackInputStream(raw, 6);
        byte[] h = in.readNBytes(6);
        in.unread(h);
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

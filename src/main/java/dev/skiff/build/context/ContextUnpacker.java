package dev.skiff.build.context;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * One context unpacking (see {@link ContextArchive}). Each file is hashed from the same buffer it is written
 * from, while the bytes are still in the CPU cache: reading it back from the page cache on a second thread
 * cost a second copy of every byte, an open per file and a thread handoff, CPU the client sending the context
 * needs on a small machine. The records, hashes with them, reach the {@link FileHashCache} whole at the end
 * ({@link FileHashCache#rememberTree}), under the tree's final root.
 *
 * <p>Given the previous context (the kept one of the last build), the new one is unpacked over it, in its
 * directory: a file whose name, size, mode and mtime match one there is compared with it as it arrives instead of
 * written and hashed, and when every byte is the same the old file simply stays, with its hash; a changed file is
 * written aside and renamed over the old name; whatever else is at a name (a directory where a file now is, a
 * symlink where a directory now is) is replaced; and at the end every name the new archive did not bring is
 * removed. A rebuild of an unchanged context thus writes, links and unlinks nothing and hashes nothing (linking
 * every unchanged file into a tree of its own, as before, cost a link, a stat and, later, an unlink apiece on
 * the data root's ext4). No inode of a context is ever written once unpacked: RUN binds of it are read-only or
 * copy-on-write, and COPY links its files into layers, which are never written either.
 */
final class ContextUnpacker {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final long maxBytes;
    private final FileHashCache hashes;
    private final Path top;
    private long total;
    private final List<DirTime> dirTimes = new ArrayList<>();
    private final Map<String, ContextArchive.FileRecord> records = new LinkedHashMap<>();
    private final ContextArchive.Unpacked previous;
    /** Unpacking over {@link #previous} in its own directory instead of into a new one (see the class comment). */
    private final boolean updating;
    /** Where a changed file of an update is written before it is renamed over the old one. */
    private final Path incoming;
    private long incomingCount;
    private ByteBuffer compareBuffer;
    private final java.util.Set<String> knownDirs = new java.util.HashSet<>();
    private final java.util.Set<String> written = new java.util.HashSet<>();
    private boolean startedEmpty;
    private final byte[] copyBuffer = new byte[256 << 10];
    private final MessageDigest sha = FileHashCache.sha256();
    private final MessageDigest signature = FileHashCache.sha256();
    private final ContextArchive.EntryListener listener;

    private record DirTime(String rel, long millis) {
    }

    /**
     * @param tree     the directory below {@code placement.dir()} to unpack into; null for that directory itself,
     *                 or, with {@code previous}, for an update of {@code previous} where it is
     * @param previous an earlier unpacking in the same placement whose unchanged files are kept, or null
     */
    ContextUnpacker(ContextPlacement placement, String tree, long maxBytes, FileHashCache hashes,
                    ContextArchive.Unpacked previous, ContextArchive.EntryListener listener) {
        this.listener = listener;
        this.maxBytes = maxBytes;
        this.hashes = hashes;
        Path dir = placement.dir().toAbsolutePath().normalize();
        this.previous = previous;
        this.updating = previous != null;
        Path previousRoot = updating ? previous.root().toAbsolutePath().normalize() : null;
        if (updating && (hashes == null || tree != null || !previousRoot.startsWith(dir) || previousRoot.equals(dir))) {
            throw new IllegalArgumentException("only a hashed context in a tree of its own is unpacked over");
        }
        this.top = updating ? previousRoot : tree == null ? dir : dir.resolve(tree);
        this.incoming = dir.resolve("incoming");
    }

    ContextArchive.Unpacked run(InputStream tar) throws IOException {
        Files.createDirectories(top);
        try (var list = Files.list(top)) {
            startedEmpty = list.findAny().isEmpty();
        }
        TarArchiveInputStream in = new TarArchiveInputStream(ContextArchive.decompressBuffered(tar), StandardCharsets.UTF_8.name());
        int count = 0;
        try {
            for (TarArchiveEntry e; (e = ContextArchive.next(in)) != null; ) {
                if (++count > ContextArchive.MAX_ENTRIES) {
                    throw new InvalidArgumentException("the build context has more than " + ContextArchive.MAX_ENTRIES + " entries");
                }
                String rel = ContextArchive.relative(e.getName());
                if (!rel.isEmpty()) {
                    entry(in, e, rel);
                }
            }
        } finally {
            if (updating) {
                dev.skiff.sys.FileTrees.delete(incoming);
            }
        }
        if (updating) {
            removeStale();
        }
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime(top.resolve(dirTimes.get(i).rel()), FileTime.fromMillis(dirTimes.get(i).millis()));
        }
        // the sets and the map themselves, not copies: a context of 100,000 files is some 10 MiB of them
        Map<String, ContextArchive.FileRecord> files = hashes == null ? Map.of()
                : java.util.Collections.unmodifiableMap(records);
        if (hashes != null) {
            hashes.rememberTree(top, files);
        }
        written.addAll(knownDirs);
        return new ContextArchive.Unpacked(top, total, files, java.util.Collections.unmodifiableSet(written),
                hashes == null ? null : HexFormat.of().formatHex(signature.digest()));
    }

    private void entry(TarArchiveInputStream in, TarArchiveEntry e, String rel) throws IOException {
        int mode = e.getMode() & 07777;
        if (e.isFile() && !e.isLink()) {
            total += e.getSize();
            if (total > maxBytes) {
                throw new InvalidArgumentException("the build context is larger than " + maxBytes
                        + " bytes (exclude files with .dockerignore)");
            }
        }
        Path target = safeTarget(rel);
        records.remove(rel);
        // a root that started empty holds only names this archive made (a duplicate entry); an update, anything
        boolean mayExist = !startedEmpty || written.contains(rel);
        if (e.isDirectory()) {
            if (!knownDirs.contains(rel) && !Files.isDirectory(target, NOFOLLOW)) {
                if (mayExist) {
                    Files.deleteIfExists(target);
                }
                Files.createDirectory(target);
            }
            knownDirs.add(rel);
            setMode(target, mode == 0 ? 0755 : mode);
            sign('d', rel, mode == 0 ? 0755 : mode, 0, "");
            dirTimes.add(new DirTime(rel, e.getLastModifiedDate().getTime()));
            if (listener != null) {
                listener.unpacked(rel, target, false);
            }
            return;
        }
        // in an update, whatever is at a name this archive has not written yet is the previous context's; where
        // that was a regular file of its own, its record says so (nothing writes a context's tree once unpacked),
        // and no stat needs to ask
        boolean stale = updating && !written.contains(rel);
        ContextArchive.FileRecord was = stale ? previous.files().get(rel) : null;
        if (knownDirs.contains(rel) || (!startedEmpty && !stale && Files.isDirectory(target, NOFOLLOW))) {
            throw new InvalidArgumentException("build context entry " + e.getName() + " replaces a directory");
        }
        if (stale && was == null && Files.isDirectory(target, NOFOLLOW)) {
            dev.skiff.sys.FileTrees.delete(target);
        }
        ContextArchive.FileRecord before = null;
        java.time.Instant mtime = e.getLastModifiedDate().toInstant();
        if (e.isFile() && !e.isLink() && was != null
                && was.size() == e.getSize() && was.mode() == mode && was.mtime().equals(mtime)) {
            before = was;
        }
        if (mayExist && before == null) { // an update compares with the old file where it is
            Files.deleteIfExists(target);
        }
        written.add(rel);
        boolean regularFile = false;
        if (e.isSymbolicLink()) {
            Files.createSymbolicLink(target, Path.of(e.getLinkName()));
            sign('l', rel, 0, 0, e.getLinkName());
        } else if (e.isLink()) {
            String linkedRel = ContextArchive.relative(e.getLinkName());
            Path linked = safeTarget(linkedRel);
            if (!written.contains(linkedRel) || !Files.isRegularFile(linked, NOFOLLOW)) {
                throw new InvalidArgumentException("build context entry " + e.getName() + " is a hardlink to "
                        + e.getLinkName() + ", which is not a file earlier in the archive");
            }
            Files.createLink(target, linked);
            sign('h', rel, 0, 0, linkedRel);
            // two names for one inode: neither may be linked from a later context as a file of its own
            records.remove(ContextArchive.relative(e.getLinkName()));
        } else if (e.isFile()) {
            String sha256 = receive(in, e.getSize(), target, rel, before);
            regularFile = true;
            if (sha256 == null) { // not kept: a new file
                setMode(target, mode);
                Files.setLastModifiedTime(target, FileTime.from(mtime));
            }
            if (hashes != null) {
                String content = sha256 != null ? sha256 : lastSha;
                records.put(rel, new ContextArchive.FileRecord(e.getSize(), mode, mtime, content));
                sign('f', rel, mode, e.getSize(), content);
            }
        } else {
            sign('o', rel, mode, 0, ""); // device nodes and fifos are skipped: a context holds files
        }
        if (listener != null) {
            listener.unpacked(rel, target, regularFile);
        }
    }

    private String lastSha;

    /** One entry's line in the context's signature (see {@link ContextArchive.Unpacked}). */
    private void sign(char type, String rel, int mode, long size, String contentOrLink) {
        String line = type + " " + Integer.toOctalString(mode) + " " + size + " " + rel.length() + ":" + rel + " "
                + contentOrLink.length() + ":" + contentOrLink + "\n";
        signature.update(line.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Takes in one file's content. With {@code before} (the previous context's file of the same name, size, mode
     * and mtime, at {@code target}) each piece is compared with that file until one differs; if none does, the
     * old file stays and its hash is returned. Otherwise the file is written (the matching start copied from the
     * old file), hashed into {@link #lastSha}, and null is returned; a changed file is written aside and renamed
     * over the old one: the old inode may be in a layer (COPY links context files into layers), so it is never
     * written to.
     */
    private String receive(InputStream in, long size, Path target, String rel, ContextArchive.FileRecord before)
            throws IOException {
        sha.reset();
        // the previous file is where this one goes: a changed one is written aside, then renamed over it
        Path writeTo = before == null ? target : incoming.resolve(Long.toString(++incomingCount));
        if (before != null && incomingCount == 1) {
            Files.createDirectories(incoming);
        }
        FileChannel old = null;
        FileChannel out = null;
        try {
            if (before != null) {
                old = FileChannel.open(target, java.util.Set.of(StandardOpenOption.READ, NOFOLLOW));
                if (old.size() != size) {
                    old.close();
                    old = null;
                }
            }
            long done = 0;
            while (done < size) {
                int n = in.read(copyBuffer, 0, (int) Math.min(copyBuffer.length, size - done));
                if (n < 0) {
                    throw new InvalidArgumentException("the build context is truncated in " + rel);
                }
                if (old != null) {
                    if (sameAsOld(old, done, n)) {
                        done += n;
                        continue;
                    }
                    out = FileChannel.open(writeTo, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    copyStart(old, target, done, out);
                    old.close();
                    old = null;
                } else if (out == null) {
                    out = FileChannel.open(writeTo, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                }
                ByteBuffer buf = ByteBuffer.wrap(copyBuffer, 0, n);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
                if (hashes != null) {
                    sha.update(copyBuffer, 0, n);
                }
                done += n;
            }
            if (old != null) {
                // every byte the same: the old file stays, under its name
                return before.sha256();
            }
            if (out == null) {
                out = FileChannel.open(writeTo, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            }
            out.close();
            if (before != null) {
                Files.move(writeTo, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            lastSha = hashes == null ? null : HexFormat.of().formatHex(sha.digest());
            return null;
        } finally {
            if (old != null) {
                old.close();
            }
            if (out != null) {
                out.close(); // a second close of a channel is a no-op
            }
        }
    }

    /** Whether the old file's {@code n} bytes at {@code at} are those in the copy buffer. */
    private boolean sameAsOld(FileChannel old, long at, int n) throws IOException {
        if (compareBuffer == null) {
            compareBuffer = ByteBuffer.allocateDirect(copyBuffer.length);
        }
        compareBuffer.clear().limit(n);
        while (compareBuffer.hasRemaining()) {
            if (old.read(compareBuffer, at + compareBuffer.position()) < 0) {
                return false;
            }
        }
        compareBuffer.flip();
        return compareBuffer.mismatch(ByteBuffer.wrap(copyBuffer, 0, n)) < 0;
    }

    /** Copies (and hashes) the old file's first {@code length} bytes, which matched, into the new file. */
    private void copyStart(FileChannel old, Path oldFile, long length, FileChannel out) throws IOException {
        long at = 0;
        while (at < length) {
            compareBuffer.clear().limit((int) Math.min(compareBuffer.capacity(), length - at));
            int n = old.read(compareBuffer, at);
            if (n < 0) {
                throw new IOException("the previous build context's " + oldFile + " shrank while it was read");
            }
            compareBuffer.flip();
            if (hashes != null) {
                sha.update(compareBuffer.duplicate());
            }
            while (compareBuffer.hasRemaining()) {
                out.write(compareBuffer);
            }
            at += n;
        }
    }

    /**
     * The end of an update: every name of the previous context that this archive did not bring is removed (a
     * directory with all below it), so the tree is exactly the new context. The previous names are those its
     * unpacking left (nothing else writes the tree), so only they are looked at, not every file in the tree.
     */
    private void removeStale() throws IOException {
        for (String name : previous.names()) {
            if (written.contains(name) || knownDirs.contains(name)) {
                continue;
            }
            int slash = name.lastIndexOf('/');
            if (slash >= 0 && !knownDirs.contains(name.substring(0, slash))) {
                continue; // its directory is no longer one: it went with it, as a name gone or replaced
            }
            Path p = top.resolve(name);
            if (Files.isDirectory(p, NOFOLLOW)) {
                dev.skiff.sys.FileTrees.delete(p);
            } else {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The path for {@code rel} under the root, creating missing parents; refuses when an existing parent is a
     * symlink (writing through it could land outside). A parent checked once stays a directory (an entry that
     * would replace a directory is refused), so each is checked only once.
     */
    private Path safeTarget(String rel) throws IOException {
        int slash = rel.lastIndexOf('/');
        if (slash < 0) {
            return top.resolve(rel);
        }
        String parent = rel.substring(0, slash);
        if (!knownDirs.contains(parent)) {
            Path current = top;
            String[] parts = parent.split("/");
            for (String part : parts) {
                current = current.resolve(part);
                String sub = top.relativize(current).toString();
                if (knownDirs.contains(sub)) {
                    continue;
                }
                if (updating && !written.contains(sub) && Files.exists(current, NOFOLLOW)
                        && !Files.isDirectory(current, NOFOLLOW)) {
                    Files.delete(current); // the previous context's file or symlink where this one has a directory
                }
                if (Files.isSymbolicLink(current)) {
                    throw new InvalidArgumentException("build context entry " + rel + " would be written through the symlink "
                            + sub);
                }
                if (!Files.exists(current, NOFOLLOW)) {
                    Files.createDirectory(current);
                } else if (!Files.isDirectory(current, NOFOLLOW)) {
                    throw new InvalidArgumentException("build context entry " + rel + " is below the file " + sub);
                }
                knownDirs.add(sub);
            }
        }
        return top.resolve(rel);
    }

    private static void setMode(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, NOFOLLOW);
    }
}

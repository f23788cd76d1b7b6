package dev.skiff.build.copy;

import dev.skiff.build.context.FileHashCache;
import dev.skiff.build.copy.CopyItem.Entry;
import dev.skiff.build.copy.CopyItem.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A COPY/ADD whose sources are resolved: {@link #digest()} for the cache, {@link #apply} to write it.
 * Close it to delete downloads. Not thread-safe.
 */
public final class PreparedCopy implements AutoCloseable {
    private final CopyRequest request;
    private final CopySource source;
    private final List<CopyItem> items;
    private final Chmod chmod;
    private final FileHashCache hashes;
    private final List<Path> downloads = new ArrayList<>();
    private final List<Path> clones = new ArrayList<>();
    private String digest;

    PreparedCopy(CopyRequest request, CopySource source, List<CopyItem> items, Chmod chmod, FileHashCache hashes) {
        this.request = request;
        this.source = source;
        this.items = items;
        this.chmod = chmod;
        this.hashes = hashes;
    }

    /**
     * How many sources the instruction copies once its wildcards are expanded (each a file, a directory, a download,
     * an archive or a heredoc): the classic builder's history calls the copy "multi:" past one.
     */
    public int sourceCount() {
        return items.size();
    }

    /** Whether the instruction copies one source and that is a directory (a Git repository's tree is one). */
    public boolean copiesOneDirectory() {
        return items.size() == 1 && items.getFirst().kind() == Kind.DIRECTORY;
    }

    void downloaded(Path file) {
        downloads.add(file);
    }

    /** A Git source's clone, deleted with the downloads. */
    void cloned(Path dir) {
        clones.add(dir);
    }

    /**
     * "sha256:..." over exactly what the instruction reads: for every entry its path, type, mode after
     * --chmod, the --chown value (or the source owner where owners are kept), and its content hash or
     * link target. Modification times are left out, so touching a file without changing it keeps the
     * cache; the destination is not included (it is in the instruction text the cache key also holds).
     */
    public String digest() throws IOException {
        if (digest != null) {
            return digest;
        }
        MessageDigest sha = FileHashCache.sha256();
        StringBuilder line = new StringBuilder();
        line.append("chown ").append(request.chown()).append('\n');
        for (CopyItem item : items) {
            line.append("item ").append(item.kind()).append(' ').append(item.label()).append(' ')
                    .append(item.parentsRel()).append('\n');
            switch (item.kind()) {
                case INLINE -> line.append("inline ").append(item.inline().name()).append(' ')
                        .append(sha256(item.inline().content().getBytes(StandardCharsets.UTF_8))).append('\n');
                case URL, ARCHIVE -> {
                    if (item.fetched() != null) {
                        line.append("url ").append(item.fetched().sha256()).append('\n');
                    } else {
                        line.append("archive ").append(hashes.sha256(item.path(), item.entries().getFirst().attrs())).append('\n');
                    }
                }
                default -> {
                    for (Entry e : item.entries()) {
                        entry(line, e);
                    }
                }
            }
            sha.update(line.toString().getBytes(StandardCharsets.UTF_8));
            line.setLength(0);
        }
        sha.update(line.toString().getBytes(StandardCharsets.UTF_8));
        digest = "sha256:" + HexFormat.of().formatHex(sha.digest());
        return digest;
    }

    private void entry(StringBuilder line, Entry e) throws IOException {
        var a = e.attrs();
        // one stat for what BasicFileAttributes lack (a getAttribute each was a stat each)
        java.util.Map<String, Object> unix = Files.readAttributes(e.source(), "unix:mode,uid,gid,rdev",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) unix.get("mode");
        int perms = mode & 07777;
        if (chmod != null && !a.isSymbolicLink()) {
            perms = chmod.apply(perms, a.isDirectory());
        }
        line.append(a.isDirectory() ? 'd' : a.isSymbolicLink() ? 'l' : a.isRegularFile() ? 'f' : 'o').append(' ')
                .append(e.rel()).append(' ').append(Integer.toOctalString((mode & ~07777) | perms));
        if (source.keepOwners() && request.chown() == null) {
            line.append(' ').append(unix.get("uid")).append(':').append(unix.get("gid"));
        }
        if (a.isRegularFile()) {
            line.append(' ').append(a.size()).append(' ').append(hashes.sha256(e.source(), a));
        } else if (a.isSymbolicLink()) {
            line.append(" -> ").append(Files.readSymbolicLink(e.source()));
        } else if (a.isOther()) {
            line.append(' ').append(unix.get("rdev"));
        }
        line.append('\n');
    }

    private static String sha256(byte[] data) {
        return HexFormat.of().formatHex(FileHashCache.sha256().digest(data));
    }

    /**
     * Writes the copy into {@code destRoot} (the stage's rootfs). --chown names are looked up in its
     * /etc/passwd and /etc/group. Returns the bytes of file content written.
     */
    public long apply(Path destRoot) throws IOException {
        return apply(destRoot, null);
    }

    /**
     * As above, into a mounted overlay whose upper directory {@code links} finishes after it is unmounted: the
     * context's files that the layer keeps as they are become links there instead of copies (see
     * {@link UpperLinks}). Not with an archive to unpack: its entries may link to any name in the tree.
     */
    public long apply(Path destRoot, UpperLinks links) throws IOException {
        Ownership owner = request.chown() == null ? null : Ownership.resolve(request.chown(), destRoot);
        boolean archive = items.stream().anyMatch(i -> i.kind() == Kind.ARCHIVE);
        TreeWriter writer = new TreeWriter(destRoot, owner, source.keepOwners(), chmod, archive ? null : links);
        String dest = request.absoluteDest();
        boolean many = items.size() > 1;
        long bytes = 0;
        for (CopyItem item : items) {
            switch (item.kind()) {
                case DIRECTORY -> {
                    String targetDir = item.parentsRel().isEmpty() ? dest : join(dest, item.parentsRel());
                    boolean existed = Files.isDirectory(ScopedPath.resolve(destRoot, targetDir, true));
                    Path dir = writer.directory(targetDir);
                    for (Entry e : item.entries()) {
                        if (e.rel().isEmpty()) {
                            writer.entry(e, dir, existed);
                        } else {
                            writer.entry(e, writer.child(dir, e.rel()), false);
                        }
                    }
                }
                case FILE -> {
                    Entry e = item.entries().getFirst();
                    writer.entry(e, fileTarget(writer, destRoot, dest, item, many), false);
                }
                case INLINE -> {
                    InputStream in = new ByteArrayInputStream(item.inline().content().getBytes(StandardCharsets.UTF_8));
                    writer.file(in, fileTarget(writer, destRoot, dest, item, many), 0644, null);
                }
                case URL -> {
                    try (InputStream in = Files.newInputStream(item.path())) {
                        FileTime mtime = item.fetched().lastModified().map(FileTime::from).orElse(null);
                        writer.file(in, fileTarget(writer, destRoot, dest, item, many), 0600, mtime);
                    }
                }
                case ARCHIVE -> {
                    ArchiveUnpacker.unpack(item.path(), writer, destRoot, trimSlash(dest));
                    writer.writtenAround();
                }
            }
        }
        writer.finish();
        bytes += writer.bytes();
        return bytes;
    }

    /** dest/name when the destination is a directory (named so, existing, or several sources), else dest. */
    private Path fileTarget(TreeWriter writer, Path destRoot, String dest, CopyItem item, boolean many) throws IOException {
        if (!item.parentsRel().isEmpty()) {
            String full = join(dest, item.parentsRel());
            return writer.child(writer.directory(parent(full)), full.substring(full.lastIndexOf('/') + 1));
        }
        boolean isDir = request.destNamesDirectory() || many
                || Files.isDirectory(ScopedPath.resolve(destRoot, dest, true));
        if (isDir) {
            return writer.directory(dest).resolve(item.baseName());
        }
        String path = trimSlash(dest);
        Path dir = writer.directory(parent(path));
        Path named = dir.resolve(path.substring(path.lastIndexOf('/') + 1));
        if (Files.isSymbolicLink(named)) {
            // written through, as both of dockerd's builders do (the classic one resolves the whole destination
            // in scope): an image's /etc/app.conf -> /etc/real.conf stays a link and real.conf gets the content;
            // a dangling link makes its target. Still inside the rootfs: the link is followed as if it were "/".
            Path target = ScopedPath.resolve(destRoot, path, true);
            if (Files.isDirectory(target)) {
                return writer.directory(path).resolve(item.baseName());
            }
            return writer.directory("/" + ScopedPath.relative(destRoot, target.getParent()))
                    .resolve(target.getFileName().toString());
        }
        return named;
    }

    private static String join(String dir, String rel) {
        return (dir.endsWith("/") ? dir : dir + "/") + rel;
    }

    private static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    private static String trimSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    @Override
    public void close() {
        downloads.forEach(CopyEngine::deleteQuietly);
        downloads.clear();
        clones.forEach(GitFetcher::deleteQuietly);
        clones.clear();
    }
}

package dev.skiff.build.copy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes entries into a destination rootfs, never outside it: every path is resolved with
 * {@link ScopedPath} (symlinks in the destination are followed as if the rootfs were "/"); an entry whose name is
 * a symlink in the image is replaced, not written through (as dockerd's untar of a directory copy replaces it; a
 * single file's destination that is a link is resolved before, by {@link PreparedCopy}). Keeps modes (or applies --chmod), sets
 * owners, mtimes and xattrs, re-creates hardlinks between files of one copy, and refuses a file onto a
 * directory or a directory onto a file, as the reference says.
 */
final class TreeWriter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    /** What an entry needs beyond its BasicFileAttributes: the mode with setuid/setgid/sticky, links, owner, device. */
    private static final String UNIX_ATTRS = "unix:mode,nlink,uid,gid,rdev";

    private final Path root;
    private final Ownership owner;
    private final boolean chowned;
    private final boolean keepOwners;
    private final Chmod chmod;
    private final Map<Object, Path> hardlinks = new HashMap<>();
    private final List<Object[]> dirTimes = new ArrayList<>();
    /** Directories already resolved or made by this copy; an entry never turns one into something else. */
    private final Map<String, Path> directories = new HashMap<>();
    /**
     * Directories this copy created, in which nothing exists but what it put there ({@link #placed}): a name in one
     * needs no look-up before it is written (two lookups per file through the overlay otherwise). Forgotten when
     * something else writes into the tree ({@link #writtenAround}).
     */
    private final Set<Path> made = new HashSet<>();
    /** Names (relative to the root) this copy has written; a string each, shared with {@link #links}' note. */
    private final Set<String> placed = new HashSet<>();
    private long bytes;
    /** Where context files that need no copy of their own are noted (see {@link UpperLinks}), or null. */
    private final UpperLinks links;
    /** Directories already copied up into the upper dir for files left to {@link #links}. */
    private final Set<Path> inUpper = new HashSet<>();

    /**
     * {@code owner} is the --chown owner, or null without --chown. With {@code links}, a file from the context that
     * the layer keeps as it is is not written through the overlay: its parent directory is copied up, and the file
     * is left to {@link UpperLinks#into}; null writes every file.
     */
    TreeWriter(Path root, Ownership owner, boolean keepOwners, Chmod chmod, UpperLinks links) {
        this.links = keepOwners ? null : links; // only the context's files: a rootfs is another mount
        this.root = root.toAbsolutePath().normalize();
        this.chowned = owner != null;
        this.owner = owner == null ? Ownership.ROOT : owner;
        this.keepOwners = keepOwners;
        this.chmod = chmod;
    }

    long bytes() {
        return bytes;
    }

    /**
     * Makes sure the directory {@code absPath} (inside the rootfs) exists; directories it creates get
     * mode 0755 and the --chown owner. Returns its real location.
     */
    Path directory(String absPath) throws IOException {
        Path known = directories.get(absPath);
        if (known != null) {
            return known;
        }
        Path real = ScopedPath.resolve(root, absPath, true);
        if (links != null) {
            for (Path p = real; p.startsWith(root) && !p.equals(root); p = p.getParent()) {
                if (links.has(rel(p))) { // a file of this copy that is not in the overlay yet
                    throw new InvalidArgumentException("cannot copy to " + absPath + ": " + rel(p)
                            + " is a file, not a directory");
                }
            }
        }
        if (Files.isDirectory(real)) {
            directories.put(absPath, real);
            return real;
        }
        if (Files.exists(real, NOFOLLOW)) {
            throw new InvalidArgumentException("cannot copy to " + absPath + ": it exists and is not a directory");
        }
        List<Path> created = new ArrayList<>();
        for (Path p = real; p.startsWith(root) && !Files.exists(p, NOFOLLOW); p = p.getParent()) {
            created.addFirst(p);
        }
        for (Path p : created) {
            try {
                Files.createDirectory(p);
            } catch (java.nio.file.FileSystemException e) {
                throw new InvalidArgumentException("cannot create directory " + ScopedPath.relative(root, p)
                        + " in the image: " + e.getMessage());
            }
            Syscalls.chmod(p, 0755);
            Syscalls.lchown(p, (int) owner.uid(), (int) owner.gid());
            made.add(p);
        }
        directories.put(absPath, real);
        return real;
    }

    /** The place for the entry {@code name} inside the real directory {@code dir}. */
    Path child(Path dir, String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash < 0) {
            return dir.resolve(name);
        }
        Path parent = directory("/" + ScopedPath.relative(root, dir) + "/" + name.substring(0, slash));
        return parent.resolve(name.substring(slash + 1));
    }

    /**
     * Something other than this writer wrote into the tree (an ADD archive's entries): names in the directories it
     * made may exist now, so each is looked up again before it is written.
     */
    void writtenAround() {
        made.clear();
        placed.clear();
    }

    /** Copies one entry (a file, symlink, directory or device) to {@code target}. */
    void entry(CopyItem.Entry entry, Path target, boolean targetPreexistingDirOk) throws IOException {
        Path source = entry.source();
        BasicFileAttributes attrs = entry.attrs();
        Map<String, Object> unix = null; // read once, when the entry needs it
        if (attrs.isDirectory()) {
            if (Files.isSymbolicLink(target)) {
                target = ScopedPath.resolve(root, "/" + ScopedPath.relative(root, target), true);
            }
            if (Files.isDirectory(target, NOFOLLOW)) {
                if (!targetPreexistingDirOk) {
                    metadata(unix(source), attrs, source, target);
                }
                return;
            }
            if (Files.exists(target, NOFOLLOW) || (links != null && links.has(rel(target)))) {
                throw new InvalidArgumentException("cannot copy directory " + source.getFileName() + " onto the file "
                        + ScopedPath.relative(root, target) + " in the image");
            }
            Files.createDirectory(target);
            made.add(target);
            metadata(unix(source), attrs, source, target);
            dirTimes.add(new Object[] {target, attrs.lastModifiedTime()});
            return;
        }
        String rel = rel(target);
        replaceable(target, rel, source);
        placed.add(rel);
        if (attrs.isSymbolicLink()) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(source));
            ownerOf(chowned || !keepOwners ? null : unix(source), target);
            return;
        }
        if (attrs.isRegularFile()) {
            unix = unix(source);
            Object key = attrs.fileKey();
            int nlink = (Integer) unix.get("nlink");
            if (key != null && nlink > 1 && hardlinks.containsKey(key)) {
                Path first = hardlinks.get(key);
                if (links != null && links.has(rel(first))) {
                    leaveToLinks(target, rel, entry); // the first name will be a link to the source: so will this one
                    return;
                }
                Files.createLink(target, first);
                return;
            }
            bytes += attrs.size();
            if (key != null && nlink > 1) {
                hardlinks.put(key, target);
            }
            if (linkable(unix, attrs, source)) {
                leaveToLinks(target, rel, entry);
                return;
            }
            Files.copy(source, target, NOFOLLOW, StandardCopyOption.REPLACE_EXISTING);
        } else if (attrs.isOther()) {
            unix = unix(source);
            int mode = (Integer) unix.get("mode");
            long rdev = (Long) unix.get("rdev");
            Syscalls.mknod(target, mode, Syscalls.major(rdev), Syscalls.minor(rdev));
        }
        metadata(unix != null ? unix : unix(source), attrs, source, target);
    }

    /**
     * Whether the layer can share the context file's inode: it would hold the file exactly as it is (no --chmod
     * that changes its mode, no --chown, owned by root as the context is, no xattrs to copy).
     */
    private boolean linkable(Map<String, Object> unix, BasicFileAttributes attrs, Path source) throws IOException {
        if (links == null || chowned) {
            return false;
        }
        int mode = (Integer) unix.get("mode") & 07777;
        if (chmod != null && chmod.apply(mode, false) != mode) {
            return false;
        }
        return (Integer) unix.get("uid") == owner.uid() && (Integer) unix.get("gid") == owner.gid()
                && Syscalls.llistxattr(source).isEmpty();
    }

    /**
     * Leaves {@code target} to become a link to {@code source} in the upper dir. Its directory must be there: one
     * this copy made is (made through the overlay), any other is copied up by setting its mtime to what it is,
     * which keeps its attributes as a copy-up for a new entry does.
     */
    private void leaveToLinks(Path target, String rel, CopyItem.Entry source) throws IOException {
        Path dir = target.getParent();
        if (!dir.equals(root) && !made.contains(dir) && inUpper.add(dir)) {
            Syscalls.setModifiedTime(dir, Files.getLastModifiedTime(dir, NOFOLLOW));
        }
        links.add(rel, source);
    }

    private String rel(Path target) {
        return root.relativize(target).toString();
    }

    /** The source's mode, link count, owner and device in one stat (a getAttribute each was a stat each). */
    private static Map<String, Object> unix(Path source) throws IOException {
        return Files.readAttributes(source, UNIX_ATTRS, NOFOLLOW);
    }

    /** Writes {@code content} as a new file at {@code target} (an inline heredoc or a fetched URL). */
    void file(InputStream content, Path target, int mode, FileTime mtime) throws IOException {
        String rel = rel(target);
        replaceable(target, rel, null);
        placed.add(rel);
        bytes += Files.copy(content, target);
        Syscalls.chmod(target, chmod == null ? mode : chmod.apply(mode, false));
        Syscalls.lchown(target, (int) owner.uid(), (int) owner.gid());
        if (mtime != null) {
            Syscalls.setModifiedTime(target, mtime);
        }
    }

    /** Sets directory mtimes last: writing their children changed them. */
    void finish() throws IOException {
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        }
        if (links != null && !links.isEmpty()) {
            for (Object[] d : dirTimes) { // linking in the upper dir touches them again: they are set once more there
                links.dirTime(rel((Path) d[0]), (FileTime) d[1]);
            }
        }
        dirTimes.clear();
    }

    private void replaceable(Path target, String rel, Path source) throws IOException {
        if (links != null) {
            links.forget(rel); // whatever is written at this name now goes through the overlay
        }
        if (made.contains(target.getParent()) && !placed.contains(rel) && !made.contains(target)) {
            return; // a new directory of this copy's own, and nothing of this copy's at that name: nothing is there
        }
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new InvalidArgumentException("cannot copy " + (source == null ? "a file" : source.getFileName())
                    + " onto the directory " + ScopedPath.relative(root, target) + " in the image");
        }
        Files.deleteIfExists(target);
    }

    private void metadata(Map<String, Object> unix, BasicFileAttributes attrs, Path source, Path target)
            throws IOException {
        int mode = (Integer) unix.get("mode") & 07777;
        Syscalls.chmod(target, chmod == null ? mode : chmod.apply(mode, attrs.isDirectory()));
        ownerOf(unix, target);
        xattrs(source, target);
        if (!attrs.isDirectory()) {
            Syscalls.setModifiedTime(target, attrs.lastModifiedTime()); // one call; the JDK's is an open and three
        }
    }

    /** --chown if given; else the source's owner ({@code unix}) from a rootfs, 0:0 from the context. */
    private void ownerOf(Map<String, Object> unix, Path target) throws IOException {
        if (chowned || !keepOwners) {
            Syscalls.lchown(target, (int) owner.uid(), (int) owner.gid());
        } else {
            Syscalls.lchown(target, (Integer) unix.get("uid"), (Integer) unix.get("gid"));
        }
    }

    /** Extended attributes other than overlay's own; best effort (a filesystem may not take them). */
    private static void xattrs(Path source, Path target) {
        try {
            for (String name : Syscalls.llistxattr(source)) {
                if (!name.startsWith("trusted.overlay.")) {
                    Syscalls.lsetxattr(target, name, Syscalls.lgetxattr(source, name));
                }
            }
        } catch (IOException | RuntimeException e) {
            // xattrs are kept where the filesystems allow; their absence does not fail a COPY
        }
    }
}

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
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes entries into a destination rootfs, never outside it: every path is resolved with
 * {@link ScopedPath} (symlinks in the destination are followed as if the rootfs were "/"), a last
 * component that is a symlink is replaced, not written through. Keeps modes (or applies --chmod), sets
 * owners, mtimes and xattrs, re-creates hardlinks between files of one copy, and refuses a file onto a
 * directory or a directory onto a file, as the reference says.
 */
final class TreeWriter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final Ownership owner;
    private final boolean chowned;
    private final boolean keepOwners;
    private final Chmod chmod;
    private final Map<Object, Path> hardlinks = new HashMap<>();
    private final List<Object[]> dirTimes = new ArrayList<>();
    /** Directories already resolved or made by this copy; an entry never turns one into something else. */
    private final Map<String, Path> directories = new HashMap<>();
    private long bytes;

    /** {@code owner} is the --chown owner, or null without --chown. */
    TreeWriter(Path root, Ownership owner, boolean keepOwners, Chmod chmod) {
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

    /** Copies one entry (a file, symlink, directory or device) to {@code target}. */
    void entry(Path source, PosixFileAttributes attrs, Path target, boolean targetPreexistingDirOk) throws IOException {
        if (attrs.isDirectory()) {
            if (Files.isSymbolicLink(target)) {
                target = ScopedPath.resolve(root, "/" + ScopedPath.relative(root, target), true);
            }
            if (Files.isDirectory(target, NOFOLLOW)) {
                if (!targetPreexistingDirOk) {
                    metadata(source, attrs, target);
                }
                return;
            }
            if (Files.exists(target, NOFOLLOW)) {
                throw new InvalidArgumentException("cannot copy directory " + source.getFileName() + " onto the file "
                        + ScopedPath.relative(root, target) + " in the image");
            }
            Files.createDirectory(target);
            metadata(source, attrs, target);
            dirTimes.add(new Object[] {target, attrs.lastModifiedTime()});
            return;
        }
        replaceable(target, source);
        if (attrs.isSymbolicLink()) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(source));
            ownerOf(source, target);
            return;
        }
        if (attrs.isRegularFile()) {
            Object key = attrs.fileKey();
            Integer nlink = (Integer) Files.getAttribute(source, "unix:nlink", NOFOLLOW);
            if (key != null && nlink > 1 && hardlinks.containsKey(key)) {
                Files.createLink(target, hardlinks.get(key));
                return;
            }
            Files.copy(source, target, NOFOLLOW, StandardCopyOption.REPLACE_EXISTING);
            bytes += attrs.size();
            if (key != null && nlink > 1) {
                hardlinks.put(key, target);
            }
        } else if (attrs.isOther()) {
            int mode = (Integer) Files.getAttribute(source, "unix:mode", NOFOLLOW);
            long rdev = (Long) Files.getAttribute(source, "unix:rdev", NOFOLLOW);
            Syscalls.mknod(target, mode, Syscalls.major(rdev), Syscalls.minor(rdev));
        }
        metadata(source, attrs, target);
    }

    /** Writes {@code content} as a new file at {@code target} (an inline heredoc or a fetched URL). */
    void file(InputStream content, Path target, int mode, FileTime mtime) throws IOException {
        replaceable(target, null);
        bytes += Files.copy(content, target);
        Syscalls.chmod(target, chmod == null ? mode : chmod.apply(mode, false));
        Syscalls.lchown(target, (int) owner.uid(), (int) owner.gid());
        if (mtime != null) {
            Files.setLastModifiedTime(target, mtime);
        }
    }

    /** Sets directory mtimes last: writing their children changed them. */
    void finish() throws IOException {
        for (int i = dirTimes.size() - 1; i >= 0; i--) {
            Files.setLastModifiedTime((Path) dirTimes.get(i)[0], (FileTime) dirTimes.get(i)[1]);
        }
        dirTimes.clear();
    }

    private void replaceable(Path target, Path source) throws IOException {
        if (Files.isDirectory(target, NOFOLLOW)) {
            throw new InvalidArgumentException("cannot copy " + (source == null ? "a file" : source.getFileName())
                    + " onto the directory " + ScopedPath.relative(root, target) + " in the image");
        }
        Files.deleteIfExists(target);
    }

    private void metadata(Path source, PosixFileAttributes attrs, Path target) throws IOException {
        int mode = (Integer) Files.getAttribute(source, "unix:mode", NOFOLLOW) & 07777;
        Syscalls.chmod(target, chmod == null ? mode : chmod.apply(mode, attrs.isDirectory()));
        ownerOf(source, target);
        xattrs(source, target);
        if (!attrs.isDirectory()) {
            Files.setLastModifiedTime(target, attrs.lastModifiedTime());
        }
    }

    /** --chown if given; else the source's owner from a rootfs, 0:0 from the context. */
    private void ownerOf(Path source, Path target) throws IOException {
        if (chowned || !keepOwners) {
            Syscalls.lchown(target, (int) owner.uid(), (int) owner.gid());
        } else {
            Syscalls.lchown(target, (Integer) Files.getAttribute(source, "unix:uid", NOFOLLOW),
                    (Integer) Files.getAttribute(source, "unix:gid", NOFOLLOW));
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

package dev.skiff.engine;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.PaxXattrs;
import dev.skiff.sys.RootPath;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Extracts docker cp's tar into a container's rootfs, xattrs included. Every entry is resolved as the container sees paths
 * ({@link RootPath}), so neither ".." nor a symlink in the archive or the rootfs reaches outside the rootfs;
 * names with ".." are refused outright.
 */
final class TarExtractor {
    private TarExtractor() {
    }

    /**
     * @param dest container-side directory ("/tmp") to extract into
     * @param copyUidGid keep the archive's owners; otherwise files belong to the container's root (0:0)
     */
    static void extract(InputStream in, Path root, String dest, boolean noOverwriteDirNonDir, boolean copyUidGid)
            throws IOException {
        extract(in, root, dest, noOverwriteDirNonDir, copyUidGid, java.util.Map.of());
    }

    /**
     * As above; a regular file whose target is a key of {@code mounted} (a file mounted over the rootfs's own, such
     * as the container's /etc/hosts) is written into that mounted file instead, in place (the mount holds its
     * inode), its mode and owner left as they are.
     */
    static void extract(InputStream in, Path root, String dest, boolean noOverwriteDirNonDir, boolean copyUidGid,
                        java.util.Map<Path, Path> mounted) throws IOException {
        // PaxXattrs: binary xattr values (security.capability) reach commons-compress as base64, undamaged
        TarArchiveInputStream tar = new TarArchiveInputStream(PaxXattrs.reading(in), StandardCharsets.UTF_8.name());
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = clean(e.getName());
            if (name.isEmpty()) {
                continue;
            }
            String inContainer = dest.endsWith("/") ? dest + name : dest + "/" + name;
            Path parent = RootPath.resolve(root, parentOf(inContainer), true);
            Files.createDirectories(parent);
            Path target = parent.resolve(baseOf(inContainer));
            Path over = mounted.get(target);
            if (over != null && e.isFile()) {
                try (var out = Files.newOutputStream(over, java.nio.file.StandardOpenOption.WRITE,
                        java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
                    tar.transferTo(out);
                }
                continue;
            }
            boolean exists = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
            boolean existingDir = exists && Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS);
            if (e.isDirectory()) {
                if (exists && !existingDir) {
                    if (Files.isSymbolicLink(target) && Files.isDirectory(RootPath.resolve(root, inContainer, true))) {
                        continue; // a link to a directory (e.g. /bin -> usr/bin): extract through it
                    }
                    refuseIf(noOverwriteDirNonDir, "cannot overwrite non-directory " + inContainer + " with directory");
                    Files.delete(target);
                }
                Files.createDirectories(target);
            } else {
                if (existingDir) {
                    refuseIf(noOverwriteDirNonDir, "cannot overwrite directory " + inContainer + " with non-directory");
                    Remover.deleteTree(target);
                } else if (exists) {
                    Files.delete(target);
                }
                if (e.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else if (e.isLink()) {
                    String linked = clean(e.getLinkName());
                    Path source = RootPath.resolve(root, dest + "/" + linked, false);
                    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
                        // a 400 in the container's terms, not the filesystem's error with the daemon's own paths
                        throw new InvalidArgumentException("archive entry " + e.getName() + " is a hard link to "
                                + e.getLinkName() + ", which is not a file in the container at " + dest + "/" + linked
                                + " (hard links must name a file earlier in the archive or already there)");
                    }
                    try {
                        Files.createLink(target, source);
                    } catch (java.nio.file.FileSystemException fse) {
                        throw new InvalidArgumentException("archive entry " + e.getName() + ": cannot make the hard link to "
                                + e.getLinkName() + " in the container: " + fse.getReason());
                    }
                    continue;
                } else if (e.isCharacterDevice()) {
                    Syscalls.mknodChar(target, e.getMode() & 07777, e.getDevMajor(), e.getDevMinor());
                } else if (e.isFile()) {
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    continue; // block devices and fifos are not copied into containers
                }
            }
            int uid = copyUidGid ? (int) e.getLongUserId() : 0;
            int gid = copyUidGid ? (int) e.getLongGroupId() : 0;
            Syscalls.lchown(target, uid, gid);
            if (!e.isSymbolicLink()) {
                Files.setPosixFilePermissions(target, permissions(e.getMode()));
                if ((e.getMode() & 07000) != 0) {
                    Files.setAttribute(target, "unix:mode", e.getMode() & 07777);
                }
            }
            PaxXattrs.apply(e, target); // after chown, which clears security.capability
            if (!e.isSymbolicLink()) {
                Files.setLastModifiedTime(target, FileTime.fromMillis(e.getModTime().getTime()));
            }
        }
    }

    /** Strips "./" and "/" prefixes; refuses "..". */
    static String clean(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.startsWith("./") ? n.substring(2) : n.substring(1);
        }
        if (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        for (String part : n.split("/")) {
            if (part.equals("..")) {
                throw new InvalidArgumentException("archive entry " + name
                        + " points outside its destination (\"..\" is not allowed in docker cp archives)");
            }
        }
        return n.equals(".") ? "" : n;
    }

    private static void refuseIf(boolean refuse, String message) {
        if (refuse) {
            throw new InvalidArgumentException(message);
        }
    }

    private static String parentOf(String p) {
        int slash = p.lastIndexOf('/');
        return slash <= 0 ? "/" : p.substring(0, slash);
    }

    private static String baseOf(String p) {
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < order.length; i++) {
            if ((mode & (1 << i)) != 0) {
                s.add(order[i]);
            }
        }
        return s;
    }
}

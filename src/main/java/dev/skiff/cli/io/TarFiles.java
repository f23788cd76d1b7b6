package dev.skiff.cli.io;

import dev.skiff.sys.SafePaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Local files to and from the tar streams of docker cp (GET/PUT /containers/{id}/archive). */
public final class TarFiles {
    private TarFiles() {
    }

    /**
     * Writes src as a tar whose top entry is named rootName (a directory brings its whole tree).
     * followLink resolves src itself when it is a symlink; links inside a tree stay links.
     */
    public static void pack(Path src, String rootName, OutputStream out, boolean followLink) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Path top = followLink ? src.toRealPath() : src;
        addEntry(tar, top, rootName);
        if (Files.isDirectory(top, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(top)) {
                for (Path p : walk.skip(1).sorted().toList()) {
                    addEntry(tar, p, rootName + "/" + top.relativize(p).toString().replace('\\', '/'));
                }
            }
        }
        tar.finish();
        tar.flush();
    }

    private static void addEntry(TarArchiveOutputStream tar, Path p, String name) throws IOException {
        TarArchiveEntry e;
        if (Files.isSymbolicLink(p)) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p)) {
            e = new TarArchiveEntry(name + "/");
        } else {
            e = new TarArchiveEntry(name);
            e.setSize(Files.size(p));
        }
        e.setMode(mode(p));
        e.setModTime(Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS));
        tar.putArchiveEntry(e);
        if (e.isFile()) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

    private static int mode(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return 0777;
        }
        int m = 0;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
        for (PosixFilePermission perm : perms) {
            m |= 1 << (8 - perm.ordinal());
        }
        return m;
    }

    /**
     * Extracts into destDir; entries under fromRoot are renamed to toRoot (docker cp's rename of
     * the copied item). Every path is resolved under destDir, never outside it.
     */
    public static void unpack(InputStream in, Path destDir, String fromRoot, String toRoot) throws IOException {
        TarArchiveInputStream tar = new TarArchiveInputStream(in);
        TarArchiveEntry e;
        while ((e = tar.getNextEntry()) != null) {
            String name = rename(stripSlashes(e.getName()), fromRoot, toRoot);
            if (name.isEmpty()) {
                continue;
            }
            Path target = SafePaths.resolve(destDir, name);
            Files.createDirectories(target.getParent());
            if (e.isDirectory()) {
                Files.createDirectories(target);
            } else if (e.isSymbolicLink()) {
                Files.deleteIfExists(target);
                Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                continue;
            } else if (e.isLink()) {
                Files.deleteIfExists(target);
                Files.createLink(target, SafePaths.resolve(destDir, rename(stripSlashes(e.getLinkName()), fromRoot, toRoot)));
                continue;
            } else if (e.isFile()) {
                Files.copy(tar, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue;
            }
            Files.setPosixFilePermissions(target, permissions(e.getMode()));
            Files.setLastModifiedTime(target, FileTime.from(e.getModTime().toInstant()));
        }
    }

    private static String stripSlashes(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.startsWith("./") ? n.substring(2) : n.substring(1);
        }
        return n.endsWith("/") ? n.substring(0, n.length() - 1) : n;
    }

    private static String rename(String name, String fromRoot, String toRoot) {
        if (fromRoot == null || toRoot == null || fromRoot.equals(toRoot)) {
            return name;
        }
        if (name.equals(fromRoot)) {
            return toRoot;
        }
        if (name.startsWith(fromRoot + "/")) {
            return toRoot + name.substring(fromRoot.length());
        }
        return name;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = new HashSet<>();
        List<PosixFilePermission> all = List.of(PosixFilePermission.values());
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                out.add(all.get(i));
            }
        }
        return out;
    }
}

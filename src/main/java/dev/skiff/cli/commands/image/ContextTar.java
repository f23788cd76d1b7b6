package dev.skiff.cli.commands.image;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A build context directory as the tar the docker CLI sends: files in name order, .dockerignore'd ones left out
 * (but the Dockerfile and .dockerignore always sent), symlinks as symlinks, never followed. An extra Dockerfile
 * from outside the context or from stdin goes in under its own name.
 */
final class ContextTar {
    private ContextTar() {
    }

    /**
     * @param keep       context-relative paths sent even when ignored (the Dockerfile, .dockerignore)
     * @param extraName  the name of an extra file to add (a Dockerfile from elsewhere), or null
     */
    static void write(Path dir, IgnorePatterns ignore, List<String> keep, String extraName, byte[] extra,
                      OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 64 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        walk(tar, dir, dir, ignore, keep);
        if (extraName != null) {
            TarArchiveEntry e = new TarArchiveEntry(extraName);
            e.setSize(extra.length);
            e.setMode(0600);
            tar.putArchiveEntry(e);
            tar.write(extra);
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
    }

    private static void walk(TarArchiveOutputStream tar, Path root, Path dir, IgnorePatterns ignore, List<String> keep)
            throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = new ArrayList<>(list.toList());
        }
        children.sort(null);
        for (Path p : children) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            boolean isDir = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS);
            boolean excluded = !keep.contains(rel) && ignore.excluded(rel);
            if (excluded && !(isDir && ignore.mayReinclude(rel))) {
                continue;
            }
            if (!excluded) {
                add(tar, p, rel, isDir);
            }
            if (isDir) {
                walk(tar, root, p, ignore, keep);
            }
        }
    }

    private static void add(TarArchiveOutputStream tar, Path p, String name, boolean isDir) throws IOException {
        PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        TarArchiveEntry e;
        if (a.isSymbolicLink()) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (isDir) {
            e = new TarArchiveEntry(name + "/");
        } else if (a.isRegularFile()) {
            e = new TarArchiveEntry(name);
            e.setSize(a.size());
        } else {
            return; // sockets, fifos and devices are not part of a build context
        }
        int mode = 0;
        for (PosixFilePermission perm : a.permissions()) {
            mode |= 1 << (8 - perm.ordinal());
        }
        e.setMode(a.isSymbolicLink() ? 0777 : mode);
        // whole seconds, as the docker CLI sends them (moby's archive truncates): a time with nanoseconds would
        // cost each entry a PAX header of its own, doubling the entries both sides parse for nothing a build uses
        e.setModTime(FileTime.from(a.lastModifiedTime().to(TimeUnit.SECONDS), TimeUnit.SECONDS));
        tar.putArchiveEntry(e);
        if (a.isRegularFile()) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

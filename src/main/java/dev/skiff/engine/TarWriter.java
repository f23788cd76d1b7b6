package dev.skiff.engine;

import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a directory tree (or one file) as a tar stream, keeping owners, modes, times, symlinks, hard links
 * and device nodes: used by docker cp (archive GET) and docker export.
 */
final class TarWriter {
    private TarWriter() {
    }

    /**
     * Archives {@code source} under the name {@code rootName} ("" puts the directory's contents at the top,
     * as export does). Symlinks are archived as links, never followed.
     */
    static void write(Path source, String rootName, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, 32 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Map<Object, String> seen = new HashMap<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String name = name(source, dir, rootName);
                if (!name.isEmpty()) {
                    add(tar, dir, name + "/", seen);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                add(tar, file, name(source, file, rootName), seen);
                return FileVisitResult.CONTINUE;
            }
        });
        tar.finish();
        tar.flush();
    }

    private static String name(Path source, Path p, String rootName) {
        String rel = source.relativize(p).toString();
        if (rootName.isEmpty()) {
            return rel;
        }
        return rel.isEmpty() ? rootName : rootName + "/" + rel;
    }

    private static void add(TarArchiveOutputStream tar, Path p, String name, Map<Object, String> seen) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,rdev,nlink,ino,dev",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) a.get("mode");
        int type = mode & 0170000;
        TarArchiveEntry e;
        if (type == 0120000) {
            e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(p).toString());
        } else if (type == 0100000 && (Integer) a.get("nlink") > 1) {
            Object key = a.get("dev") + ":" + a.get("ino");
            String first = seen.putIfAbsent(key, name);
            if (first != null) {
                e = new TarArchiveEntry(name, TarConstants.LF_LINK);
                e.setLinkName(first);
            } else {
                e = new TarArchiveEntry(name);
                e.setSize((Long) a.get("size"));
            }
        } else if (type == 0020000 || type == 0060000) {
            e = new TarArchiveEntry(name, type == 0020000 ? TarConstants.LF_CHR : TarConstants.LF_BLK);
            long rdev = (Long) a.get("rdev");
            e.setDevMajor(Syscalls.major(rdev));
            e.setDevMinor(Syscalls.minor(rdev));
        } else if (type == 0010000) {
            e = new TarArchiveEntry(name, TarConstants.LF_FIFO);
        } else if (type == 0140000) {
            return; // sockets are not archived (Docker skips them too)
        } else {
            e = new TarArchiveEntry(name);
            if (type == 0100000) {
                e.setSize((Long) a.get("size"));
            }
        }
        e.setMode(mode & 07777);
        e.setUserId((Integer) a.get("uid"));
        e.setGroupId((Integer) a.get("gid"));
        e.setModTime(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).toMillis());
        tar.putArchiveEntry(e);
        if (e.isFile() && !e.isLink() && e.getSize() > 0) {
            Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
    }
}

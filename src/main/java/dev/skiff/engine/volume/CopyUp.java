package dev.skiff.engine.volume;

import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/**
 * Docker's copy-up: a volume that is still empty when first mounted gets the image's content at its mount
 * point, with owners, modes, times and symlinks kept; the volume's root takes the owner and mode of the
 * image's directory. Device nodes and sockets are not copied (Docker copies them; images rarely hold any there).
 */
final class CopyUp {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private CopyUp() {
    }

    /** Whether {@code dir} has no entries (a missing directory counts as empty). */
    static boolean isEmpty(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /** Copies {@code source}'s content into the empty {@code target}; nothing happens when source is no directory. */
    static void copy(Path source, Path target) throws IOException {
        if (!Files.isDirectory(source, NOFOLLOW)) {
            return;
        }
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(dir).toString());
                if (!dir.equals(source)) {
                    Files.createDirectory(to);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path to = target.resolve(source.relativize(file).toString());
                if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                    owner(file, to);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Path to = target.resolve(source.relativize(dir).toString());
                // mode, owner and time last: a read-only directory must still receive its content first
                Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(dir, NOFOLLOW));
                owner(dir, to);
                Files.setLastModifiedTime(to, (FileTime) Files.getAttribute(dir, "lastModifiedTime", NOFOLLOW));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void owner(Path from, Path to) throws IOException {
        int uid = (Integer) Files.getAttribute(from, "unix:uid", NOFOLLOW);
        int gid = (Integer) Files.getAttribute(from, "unix:gid", NOFOLLOW);
        Syscalls.lchown(to, uid, gid);
    }
}

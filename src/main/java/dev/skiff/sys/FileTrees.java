package dev.skiff.sys;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Whole directory trees. */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Creates {@code dir} if needed and marks it as the top of a directory hierarchy (ext4's FS_TOPDIR_FL,
     * {@code chattr +T}), for a directory that gets a subdirectory per container or snapshot. ext4 places a new
     * file in its directory's block group, and a directory below a plain one in that group too; in that group the
     * inodes freed by removed containers stay "recently deleted" for a minute or more, and ext4 skips them one by
     * one (`recently_deleted`) for every new inode: a container's dozen files and directories cost ~10 ms of CPU
     * after a burst of removals here. Below a top directory, subdirectories are spread over the groups (Orlov).
     * Best effort: other filesystems have no such flag.
     */
    public static void spreadSubdirectories(Path dir) throws IOException {
        Files.createDirectories(dir);
        try {
            Syscalls.addInodeFlags(dir, Syscalls.FS_TOPDIR_FL);
        } catch (IOException | RuntimeException e) {
            // not ext2/3/4, or not allowed: subdirectories are placed as the filesystem places them
        }
    }

    /**
     * Deletes {@code tree} (a directory with everything below it, or a single file or link), deepest first,
     * never following a symlink out of it. Absent is fine, and so is what someone else deletes meanwhile.
     */
    public static void delete(Path tree) throws IOException {
        if (!Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}

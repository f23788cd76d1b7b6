package dev.skiff.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Keeps the log files conmon rotates away.
 *
 * <p>conmon 2.1.6 (ctr_logging.c, write_k8s_log/reopen_k8s_file): when the next line would push the bytes it
 * wrote to the current file past --log-size-max, it fsyncs and closes the file, opens LOG.tmp with O_TRUNC and
 * rename()s it over LOG. The old inode is unlinked by that rename and its content lost. So Skiff holds a
 * second hard link ".LOG.live" to the current inode: after conmon replaced LOG, the link still names the old
 * content, and {@link #sync()} shifts LOG.1..LOG.(n-2) up by one, renames the link to LOG.1 and links the new
 * LOG. The result is Docker's json-file layout: LOG newest, LOG.1 the one before, up to max-file files.
 *
 * <p>If conmon rotates twice between two syncs, the middle file is lost (a sync runs on every inotify event
 * of the container directory, so this needs a max-size smaller than what a container writes in that time).
 */
public final class LogRotation {
    private final Path log;
    private final Path live;
    private final int maxFiles;

    public LogRotation(Path log, int maxFiles) {
        this.log = log;
        this.live = log.resolveSibling("." + log.getFileName() + ".live");
        this.maxFiles = Math.max(1, maxFiles);
    }

    /** Whether a directory entry name is the log's (the rename target conmon uses). */
    boolean isLogName(Path name) {
        return name.getFileName().toString().equals(log.getFileName().toString());
    }

    /** Before conmon (re)opens the log: make sure the link names the current file. */
    public void beforeStart() throws IOException {
        sync();
    }

    /** Notices a replacement of the log by conmon and keeps the replaced file as LOG.1. */
    public synchronized void sync() throws IOException {
        Object current = fileKey(log);
        Object linked = fileKey(live);
        if (current == null) {
            return;
        }
        if (linked == null) {
            Files.createLink(live, log);
            return;
        }
        if (Objects.equals(current, linked)) {
            return;
        }
        if (maxFiles <= 1) {
            Files.deleteIfExists(live);
        } else {
            Files.deleteIfExists(rotated(maxFiles - 1));
            for (int i = maxFiles - 2; i >= 1; i--) {
                if (Files.exists(rotated(i))) {
                    Files.move(rotated(i), rotated(i + 1));
                }
            }
            Files.move(live, rotated(1));
        }
        Files.createLink(live, log);
    }

    /** The log files oldest first, the current one last: what a reader reads in order. */
    public static List<Path> filesOldestFirst(Path log) {
        List<Path> out = new ArrayList<>();
        for (int i = 64; i >= 1; i--) {
            Path p = log.resolveSibling(log.getFileName() + "." + i);
            if (Files.exists(p)) {
                out.add(p);
            }
        }
        out.add(log);
        return out;
    }

    /** Removes the current log, the rotated ones and the link (container removal). */
    public static void deleteAll(Path log) throws IOException {
        for (Path p : filesOldestFirst(log)) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(log.resolveSibling("." + log.getFileName() + ".live"));
    }

    private Path rotated(int i) {
        return log.resolveSibling(log.getFileName() + "." + i);
    }

    private static Object fileKey(Path p) throws IOException {
        try {
            return Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}

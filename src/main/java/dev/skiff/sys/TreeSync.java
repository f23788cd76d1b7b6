package dev.skiff.sys;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Makes a freshly written tree durable before it becomes visible. A small tree (a layer of a few large files,
 * as application layers often are) gets an fsync of each of its files and directories: only what was written
 * goes to disk. A large one gets one syncfs(2), far cheaper than thousands of fsyncs, each with its own cache
 * flush, but it also waits for every other dirty page of the filesystem: measured here, a 420 MB load took
 * 0.95 s on a quiet disk and 1.47 s with 1.2 GB written elsewhere and not yet flushed.
 */
public final class TreeSync {
    /** Above this many entries one syncfs costs less than an fsync each. */
    static final int MAX_FSYNCS = 64;

    private TreeSync() {
    }

    /**
     * Starts flushing a large tree (one {@link #sync} would flush with syncfs) on a thread of its own, for a caller
     * with other work on the same files meanwhile (a build step's layer is hashed from them): the disk writes while
     * the CPU reads, and the {@link #sync} that must still follow finds little left to write. A small tree is
     * left to that sync (an fsync of each of a few files costs less than waiting for the whole filesystem).
     * The result must be waited for and its failure kept: a writeback error is reported to one syncfs only.
     */
    public static CompletableFuture<Void> start(Path root) throws IOException {
        return smallTree(root) == null ? syncfsOnPlatformThread(root) : CompletableFuture.completedFuture(null);
    }

    private static CompletableFuture<Void> syncfsOnPlatformThread(Path root) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        // a platform thread: syncfs blocks in the kernel for tens of ms or more, and an FFM call on a virtual thread
        // pins its carrier, one of as many as there are cores, which other virtual threads (a build step's tar
        // writer and hasher, other requests) need meanwhile; a virtual caller of sync parks instead
        Thread.ofPlatform().daemon().name("tree-sync").start(() -> {
            try {
                Syscalls.syncfs(root);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    /** Waits for {@link #start}'s flush; its failure is thrown here as it was. */
    public static void await(CompletableFuture<Void> flush) throws IOException {
        try {
            flush.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /** The files and directories of a tree worth an fsync each. */
    private record SmallTree(List<Path> files, List<Path> dirs) {
    }

    /**
     * The regular files and directories of {@code root} (symlinks, devices and fifos are metadata only, committed
     * with their directory), or null once there are more than {@link #MAX_FSYNCS}: it stops walking there.
     */
    private static SmallTree smallTree(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            var it = walk.iterator();
            while (it.hasNext()) {
                Path p = it.next();
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    files.add(p);
                } else if (a.isDirectory()) {
                    dirs.add(p);
                }
                if (files.size() + dirs.size() > MAX_FSYNCS) {
                    return null;
                }
            }
        }
        return new SmallTree(files, dirs);
    }

    /** Flushes {@code root}, everything under it, and its entry in its parent directory. */
    public static void sync(Path root) throws IOException {
        SmallTree tree = smallTree(root);
        if (tree == null) {
            await(syncfsOnPlatformThread(root)); // a virtual caller parks instead of pinning its carrier
            return;
        }
        for (Path f : tree.files()) {
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
                ch.force(true);
            }
        }
        for (Path dir : tree.dirs().reversed()) { // children before the directories holding them
            AtomicFiles.fsyncDirectory(dir);
        }
        Path parent = root.toAbsolutePath().getParent();
        if (parent != null) {
            AtomicFiles.fsyncDirectory(parent);
        }
    }
}

package dev.skiff.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers: a busybox root filesystem from bin/busybox-rootfs, and recursive deletion. */
public final class TestRootfs {
    private TestRootfs() {
    }

    /** The repository directory (failsafe sets skiff.repo; otherwise the working directory). */
    public static Path repo() {
        return Path.of(System.getProperty("skiff.repo", System.getProperty("user.dir")));
    }

    /** Extracts the busybox rootfs into {@code dir}. */
    public static Path busybox(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder("sh", "-c", "\"$0\" | tar -x -C \"$1\"",
                repo().resolve("bin/busybox-rootfs").toString(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("bin/busybox-rootfs failed: " + out);
        }
        return dir;
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static boolean installed(String path) {
        return Files.isExecutable(Path.of(path));
    }

    /**
     * Deletes a tree that contains no mount points (callers unmount first); a snapshotter's background trash
     * may be deleting parts of it at the same time.
     */
    public static void deleteTree(Path dir) throws IOException {
        if (dir != null) {
            dev.skiff.sys.FileTrees.delete(dir);
        }
    }
}

package dev.skiff.build.copy;

import dev.skiff.sys.RootPath;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Resolves a path inside a root directory as if the root were "/": symlinks met on the way are followed,
 * but an absolute target starts again at the root and ".." stops at the root, so the result is always
 * inside it (like a chroot, or Docker's FollowSymlinkInScope). Used for COPY destinations in a rootfs
 * and for top-level COPY sources that are symlinks.
 */
public final class ScopedPath {
    private ScopedPath() {
    }

    /**
     * The real location of {@code path} under {@code root}; with {@code followLast} false a symlink in the
     * last component is itself returned (to replace it rather than write through it).
     */
    public static Path resolve(Path root, String path, boolean followLast) throws IOException {
        return RootPath.resolve(root, path, followLast);
    }

    /** {@code path} relative to {@code root} as a "/"-separated string ("" for the root itself). */
    public static String relative(Path root, Path path) {
        return root.toAbsolutePath().normalize().relativize(path).toString();
    }
}

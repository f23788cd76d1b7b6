package dev.skiff.build.exec;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.RootPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Resolves a path inside a root directory the way the kernel would inside a chroot (see {@link RootPath}), for
 * host paths handed to runc as bind sources: a symlink in a build context or a stage's rootfs must not steer
 * them out, and what they name must not be a link runc would follow again.
 */
final class RootedPath {
    private RootedPath() {
    }

    static Path resolve(Path root, String name) {
        Path base = root.toAbsolutePath().normalize();
        Path out;
        try {
            out = RootPath.resolve(base, name, true);
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot resolve " + name + " in " + base + ": " + e.getMessage());
        }
        if (!out.startsWith(base) || (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && Files.isSymbolicLink(out))) {
            throw new InvalidArgumentException("path " + name + " points outside its root");
        }
        return out;
    }
}

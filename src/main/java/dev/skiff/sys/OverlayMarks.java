package dev.skiff.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * overlayfs's marks in a layer or upper directory: a whiteout (a 0/0 character device) hides a name of the layers
 * below, an opaque directory ({@value #OPAQUE_XATTR}=y) hides everything below of its own. The layer tar writer,
 * docker diff and the init layer all read them the same way.
 */
public final class OverlayMarks {
    public static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private OverlayMarks() {
    }

    /** Whether a file of this st_mode and st_rdev is a whiteout. */
    public static boolean isWhiteout(int mode, long rdev) {
        return (mode & Syscalls.S_IFMT) == Syscalls.S_IFCHR && rdev == 0;
    }

    /** Whether {@code p} (not followed) is a whiteout. */
    public static boolean isWhiteout(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        return isWhiteout((Integer) a.get("mode"), (Long) a.get("rdev"));
    }

    /** Whether the directory {@code dir} is opaque. */
    public static boolean isOpaque(Path dir) throws IOException {
        byte[] v = Syscalls.lgetxattr(dir, OPAQUE_XATTR);
        return v != null && v.length == 1 && v[0] == 'y';
    }
}

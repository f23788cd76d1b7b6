package dev.skiff.runtime.overlay;

import dev.skiff.sys.OverlayMarks;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;

/**
 * A container's init layer, as dockerd's (daemon/initlayer): a read-only layer between the image and the
 * container's writable one holding the mount points the runtime needs: empty /etc/hosts, /etc/hostname,
 * /etc/resolv.conf, /.dockerenv and /dev/console (always: they shadow the image's own, which the bind mounts
 * hide anyway), /etc/mtab as a link to /proc/mounts, and /proc, /sys, /dev/pts, /dev/shm where the image has no
 * such directory. Without it runc creates the missing ones in the writable layer, so `docker diff` listed them
 * and `docker commit` put them into the new image.
 *
 * <p>Made from the lower directories alone, without a mount: a parent directory (/etc, /dev) the image has
 * is created here with its mode, owner and time, as overlayfs's copy-up would, since the topmost layer's
 * directory is the one the merged tree shows.
 */
final class InitLayer {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final List<String> DIRECTORIES = List.of("dev/pts", "dev/shm", "proc", "sys");
    private static final List<String> FILES = List.of(".dockerenv", "etc/resolv.conf", "etc/hosts", "etc/hostname",
            "dev/console");
    private static final String MTAB = "etc/mtab";
    private static final String MTAB_TARGET = "/proc/mounts";

    private InitLayer() {
    }

    /** Fills {@code init} (created if needed) for an image whose layer directories are {@code lowersBottomFirst}. */
    static void create(Path init, List<Path> lowersBottomFirst) throws IOException {
        Files.createDirectories(init);
        List<Path> topFirst = lowersBottomFirst.reversed();
        for (String dir : DIRECTORIES) {
            Path found = find(dir, topFirst);
            if (found == null || !Files.isDirectory(found, NOFOLLOW)) {
                parent(init, dir, topFirst);
                Files.createDirectory(init.resolve(dir));
                Syscalls.chmod(init.resolve(dir), 0755);
            }
        }
        for (String file : FILES) {
            parent(init, file, topFirst);
            Files.createFile(init.resolve(file));
            Syscalls.chmod(init.resolve(file), 0755); // dockerd's mode for these
        }
        parent(init, MTAB, topFirst);
        Files.createSymbolicLink(init.resolve(MTAB), Path.of(MTAB_TARGET));
    }

    /** Creates the parent directory of {@code rel} in the init layer, as the image has it (or 0755 root). */
    private static void parent(Path init, String rel, List<Path> topFirst) throws IOException {
        int slash = rel.indexOf('/');
        if (slash < 0) {
            return;
        }
        String name = rel.substring(0, slash);
        Path mine = init.resolve(name);
        if (Files.isDirectory(mine, NOFOLLOW)) {
            return;
        }
        Files.createDirectory(mine);
        Path image = find(name, topFirst);
        if (image != null && Files.isDirectory(image, NOFOLLOW)) {
            Map<String, Object> a = Files.readAttributes(image, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
            Syscalls.chmod(mine, (Integer) a.get("mode") & 07777);
            Syscalls.lchown(mine, (Integer) a.get("uid"), (Integer) a.get("gid"));
            Syscalls.setModifiedTime(mine, (FileTime) a.get("lastModifiedTime"));
        } else {
            Syscalls.chmod(mine, 0755);
        }
    }

    /**
     * Where the merged tree of {@code topFirst} takes {@code rel} from, or null when it has none: a whiteout
     * hides it, an ancestor that is not a directory or is whited out hides it, an opaque ancestor hides the
     * layers below its own.
     */
    static Path find(String rel, List<Path> topFirst) throws IOException {
        String[] parts = rel.split("/");
        for (Path layer : topFirst) {
            Path p = layer;
            boolean opaqueAbove = false;
            for (int i = 0; i < parts.length; i++) {
                p = p.resolve(parts[i]);
                if (!Files.exists(p, NOFOLLOW)) {
                    p = null;
                    break;
                }
                if (OverlayMarks.isWhiteout(p)) {
                    return null;
                }
                if (i < parts.length - 1) {
                    if (!Files.isDirectory(p, NOFOLLOW)) {
                        return null;
                    }
                    opaqueAbove |= isOpaque(p);
                }
            }
            if (p != null) {
                return p;
            }
            if (opaqueAbove) {
                return null;
            }
        }
        return null;
    }

    private static boolean isOpaque(Path dir) {
        try {
            return OverlayMarks.isOpaque(dir);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}

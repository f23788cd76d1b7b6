package dev.skiff.build.exec;

import dev.skiff.sys.OverlayMarks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The empty files and directories runc creates as mount points (for /etc/hosts, /run/secrets/ID, a cache
 * mount's target...) when the image lacks them. They are not the step's doing, so they must not end up in
 * its layer: a secret's mount point in particular would tell that a secret was there. Recorded before the step
 * runs, removed from the overlay upper directory after it (only when still empty).
 *
 * <p>A stub's existing parent (the image's /etc, for /etc/hosts) was copied up into the upper directory when the
 * stub was made in it; left there, it made every RUN that changed no file a layer of its own holding just that
 * directory, where dockerd (whose stubs live in the container's init layer) records an empty_layer step and no
 * layer: 130 such steps made 131 layers, an image Docker refuses to load ("max depth exceeded"). Such a parent is
 * removed from the upper directory too when the step left it empty, not opaque, and with the mode and owner it had.
 */
final class MountStubs {
    private final List<String> missing = new ArrayList<>();
    /** The stubs' parents that existed before the step (directories), with their mode and owner then. */
    private final Map<String, String> parents = new LinkedHashMap<>();

    /** Notes which of {@code destinations} do not exist in {@code rootfs} yet (paths absolute in the container). */
    static MountStubs before(Path rootfs, List<String> destinations) throws IOException {
        MountStubs s = new MountStubs();
        for (String d : destinations) {
            String rel = d.replaceAll("^/+", "").replaceAll("/+$", "");
            if (rel.isEmpty()) {
                continue;
            }
            // every missing component: runc creates the parents too
            String[] parts = rel.split("/+");
            StringBuilder p = new StringBuilder();
            for (String part : parts) {
                if (p.length() > 0) {
                    p.append('/');
                }
                p.append(part);
                String path = p.toString();
                if (s.missing.contains(path) || s.parents.containsKey(path)) {
                    continue;
                }
                Path at = rootfs.resolve(path);
                if (!Files.exists(at, LinkOption.NOFOLLOW_LINKS)) {
                    s.missing.add(path);
                } else if (!path.equals(rel) && Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                    s.parents.put(path, modeAndOwner(at));
                }
            }
        }
        return s;
    }

    /** Removes the stubs still empty in {@code upper}, deepest first. */
    void removeFrom(Path upper) throws IOException {
        for (String rel : deepestFirst(missing)) {
            Path p = upper.resolve(rel);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? isEmpty(p)
                    : Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
                Files.delete(p);
            }
        }
        for (String rel : deepestFirst(parents.keySet())) {
            Path p = upper.resolve(rel);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !OverlayMarks.isOpaque(p)
                    && parents.get(rel).equals(modeAndOwner(p)) && isEmpty(p)) {
                Files.delete(p);
            }
        }
    }

    private static List<String> deepestFirst(java.util.Collection<String> paths) {
        List<String> sorted = new ArrayList<>(paths);
        sorted.sort((a, b) -> Integer.compare(b.length(), a.length()));
        return sorted;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var children = Files.list(dir)) {
            return children.findAny().isEmpty();
        }
    }

    private static String modeAndOwner(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
        return a.get("mode") + ":" + a.get("uid") + ":" + a.get("gid");
    }
}

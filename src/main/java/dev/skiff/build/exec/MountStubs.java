package dev.skiff.build.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The empty files and directories runc creates as mount points (for /etc/hosts, /run/secrets/ID, a cache
 * mount's target...) when the image lacks them. They are not the step's doing, so they must not end up in
 * its layer: a secret's mount point in particular would tell that a secret was there. Recorded before the step
 * runs, removed from the overlay upper directory after it (only when still empty).
 */
final class MountStubs {
    private final List<String> missing = new ArrayList<>();

    /** Notes which of {@code destinations} do not exist in {@code rootfs} yet (paths absolute in the container). */
    static MountStubs before(Path rootfs, List<String> destinations) {
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
                if (!s.missing.contains(path) && !Files.exists(rootfs.resolve(path), LinkOption.NOFOLLOW_LINKS)) {
                    s.missing.add(path);
                }
            }
        }
        return s;
    }

    /** Removes the stubs still empty in {@code upper}, deepest first. */
    void removeFrom(Path upper) throws IOException {
        List<String> deepestFirst = new ArrayList<>(missing);
        deepestFirst.sort((a, b) -> Integer.compare(b.length(), a.length()));
        for (String rel : deepestFirst) {
            Path p = upper.resolve(rel);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                try (var children = Files.list(p)) {
                    if (children.findAny().isPresent()) {
                        continue;
                    }
                }
                Files.delete(p);
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0) {
                Files.delete(p);
            }
        }
    }
}

package dev.skiff.build.copy;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a root directory as if the root were "/": symlinks met on the way are followed,
 * but an absolute target starts again at the root and ".." stops at the root, so the result is always
 * inside it (like a chroot, or Docker's FollowSymlinkInScope). Used for COPY destinations in a rootfs
 * and for top-level COPY sources that are symlinks.
 */
public final class ScopedPath {
    private static final int MAX_LINKS = 255;

    private ScopedPath() {
    }

    /**
     * The real location of {@code path} under {@code root}; with {@code followLast} false a symlink in the
     * last component is itself returned (to replace it rather than write through it).
     */
    public static Path resolve(Path root, String path, boolean followLast) throws IOException {
        Path top = root.toAbsolutePath().normalize();
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(top, done).resolve(part);
            boolean last = todo.isEmpty();
            if (Files.isSymbolicLink(candidate) && (!last || followLast)) {
                if (++links > MAX_LINKS) {
                    throw new InvalidArgumentException("too many levels of symbolic links resolving " + path);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.addFirst(parts.get(i));
                }
                continue;
            }
            done.add(part);
        }
        return join(top, done);
    }

    private static Path join(Path top, List<String> parts) {
        Path p = top;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
            }
        }
        return out;
    }

    /** {@code path} relative to {@code root} as a "/"-separated string ("" for the root itself). */
    public static String relative(Path root, Path path) {
        return root.toAbsolutePath().normalize().relativize(path).toString();
    }
}

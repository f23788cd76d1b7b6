package dev.skiff.sys;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a container's root filesystem the way the container would see it: symlinks are
 * followed with the rootfs as "/", and ".." never climbs above it. A link to "/etc" inside the container is
 * the rootfs' etc, never the host's.
 */
public final class RootPath {
    private static final int MAX_LINKS = 40;

    private RootPath() {
    }

    /**
     * @param followLast whether a symlink as the last component is followed (false: the link itself, as lstat)
     */
    public static Path resolve(Path root, String path, boolean followLast) throws IOException {
        if (path.indexOf('\0') >= 0) {
            throw new InvalidArgumentException("path contains a NUL byte");
        }
        Path top = root.toAbsolutePath().normalize();
        Deque<String> todo = new ArrayDeque<>();
        push(todo, path);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                done.pollLast();
                continue;
            }
            Path candidate = join(top, done).resolve(part);
            boolean last = todo.isEmpty();
            if ((!last || followLast) && Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw new InvalidArgumentException("too many levels of symbolic links in " + path);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        return join(top, done);
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.addFirst(parts[i]);
        }
    }

    private static Path join(Path root, Deque<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    /** Whether {@code p} exists without following a final symlink. */
    public static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}

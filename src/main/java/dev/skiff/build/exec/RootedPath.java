package dev.skiff.build.exec;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside a root directory the way the kernel would inside a chroot: symlinks are followed, but
 * an absolute target or ".." never leaves the root. Used for host paths handed to runc as bind sources, which
 * must not be steered out of a build context or a stage's rootfs by a symlink in it.
 */
final class RootedPath {
    private static final int MAX_LINKS = 40;

    private RootedPath() {
    }

    static Path resolve(Path root, String name) {
        Path base = root.toAbsolutePath().normalize();
        Deque<String> todo = new ArrayDeque<>();
        push(todo, name);
        Deque<String> done = new ArrayDeque<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pop();
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path current = join(base, done).resolve(part);
            if (Files.isSymbolicLink(current)) {
                if (++links > MAX_LINKS) {
                    throw new InvalidArgumentException("too many levels of symbolic links in " + name);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(current).toString();
                } catch (IOException e) {
                    throw new InvalidArgumentException("cannot read the link " + name + ": " + e.getMessage());
                }
                if (target.startsWith("/")) {
                    done.clear();
                }
                push(todo, target);
                continue;
            }
            done.addLast(part);
        }
        Path out = join(base, done);
        if (!out.startsWith(base) || (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && Files.isSymbolicLink(out))) {
            throw new InvalidArgumentException("path " + name + " points outside its root");
        }
        return out;
    }

    private static void push(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            todo.push(parts[i]);
        }
    }

    private static Path join(Path base, Deque<String> parts) {
        Path p = base;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }
}

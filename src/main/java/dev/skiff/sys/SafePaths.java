package dev.skiff.sys;

import java.nio.file.Path;

/**
 * Joins untrusted relative names (from tar entries, API bodies, Dockerfiles) under a root
 * without ever leaving it. Symlinks are not followed here: callers that must resolve
 * links inside a root do it component by component against the same root.
 */
public final class SafePaths {
    private SafePaths() {
    }

    /**
     * Resolves {@code name} lexically under {@code root}; a leading "/" is taken as the root.
     *
     * @throws PathEscapeException when ".." would climb above the root
     */
    public static Path resolve(Path root, String name) throws PathEscapeException {
        if (name.indexOf('\0') >= 0) {
            throw new PathEscapeException("path contains a NUL byte: " + name.replace('\0', '?'));
        }
        Path normalizedRoot = root.toAbsolutePath().normalize();
        String relative = name;
        while (relative.startsWith("/")) {
            relative = relative.substring(1);
        }
        Path candidate = normalizedRoot.resolve(relative).normalize();
        if (!candidate.startsWith(normalizedRoot)) {
            throw new PathEscapeException("path " + name + " points outside its root");
        }
        return candidate;
    }

    /** A path that would escape its root. */
    public static final class PathEscapeException extends java.io.IOException {
        public PathEscapeException(String message) {
            super(message);
        }
    }
}

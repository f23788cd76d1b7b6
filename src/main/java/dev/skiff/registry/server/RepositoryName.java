package dev.skiff.registry.server;

import java.util.regex.Pattern;

/**
 * Repository names and tags as the distribution spec defines them. A valid name is also a safe relative
 * path: its components start and end with [a-z0-9], so none is empty, "." or "..", and none starts with
 * "_", the prefix of the storage's own directories.
 */
public final class RepositoryName {
    private static final Pattern NAME = Pattern.compile(
            "[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    /** Docker's limit; also keeps a name well inside PATH_MAX once under the root. */
    static final int MAX_LENGTH = 255;

    private RepositoryName() {
    }

    public static boolean isValid(String name) {
        return name != null && name.length() <= MAX_LENGTH && NAME.matcher(name).matches();
    }

    /** Returns {@code name} or refuses it with NAME_INVALID. */
    public static String require(String name) {
        if (!isValid(name)) {
            throw new RegistryException(ErrorCode.NAME_INVALID, "invalid repository name \"" + shorten(name)
                    + "\" (lowercase letters, digits and separators . _ __ - between them, components joined by /)");
        }
        return name;
    }

    public static boolean isTag(String tag) {
        return tag != null && TAG.matcher(tag).matches();
    }

    static String shorten(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}

package dev.skiff.build.copy;

import dev.skiff.build.context.PathPattern;
import dev.skiff.errors.InvalidArgumentException;

/**
 * An ADD source that names a Git repository, split as BuildKit's URL fragments are: {@code REMOTE[#REF][:SUBDIR]},
 * for instance {@code https://host/org/repo.git#v1.2:docs} or {@code git@host:org/repo.git#main}. An empty ref
 * means the remote's default branch (its HEAD); an empty subdirectory the whole tree.
 *
 * <p>Forms: {@code git@host:path}, {@code git://}, {@code ssh://}, and {@code http(s)://} URLs whose path ends in
 * ".git" (before any fragment). The ref is passed to git(1) as an argument, so one that could read as an option
 * (a leading "-") or that git would refuse anyway (spaces, control characters, "..") is refused here; the
 * subdirectory may not climb out of the repository.
 */
record GitSource(String remote, String ref, String subdir) {
    /** Whether {@code source} is one of the Git forms (see the class comment). */
    static boolean matches(String source) {
        if (source.startsWith("git@") || source.startsWith("git://") || source.startsWith("ssh://")) {
            return true;
        }
        if (!source.startsWith("http://") && !source.startsWith("https://")) {
            return false;
        }
        int hash = source.indexOf('#');
        String url = hash < 0 ? source : source.substring(0, hash);
        int query = url.indexOf('?');
        return (query < 0 ? url : url.substring(0, query)).endsWith(".git");
    }

    /** @param what how errors name the source ("ADD git://...", "build context git://...") */
    static GitSource parse(String source, String what) {
        int hash = source.indexOf('#');
        String remote = hash < 0 ? source : source.substring(0, hash);
        String fragment = hash < 0 ? "" : source.substring(hash + 1);
        int colon = fragment.indexOf(':');
        String ref = colon < 0 ? fragment : fragment.substring(0, colon);
        String subdir = colon < 0 ? "" : fragment.substring(colon + 1);
        if (remote.isEmpty() || remote.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
            throw new InvalidArgumentException(what + ": invalid Git repository address");
        }
        if (!ref.isEmpty() && (ref.startsWith("-") || ref.contains("..") || ref.endsWith("/") || ref.endsWith(".lock")
                || ref.chars().anyMatch(c -> c <= ' ' || c == 0x7f || "~^?*[\\".indexOf(c) >= 0))) {
            throw new InvalidArgumentException(what + ": invalid Git reference \"" + ref
                    + "\" (give a branch, a tag or a commit after the #)");
        }
        for (String part : subdir.split("/")) {
            if (part.equals("..")) {
                throw new InvalidArgumentException(what + ": the subdirectory \"" + subdir
                        + "\" is outside the repository");
            }
        }
        return new GitSource(remote, ref, PathPattern.clean(subdir));
    }

    /** The ref a fetch asks for: the named one, or the remote's HEAD (its default branch). */
    String refOrHead() {
        return ref.isEmpty() ? "HEAD" : ref;
    }

    /** Whether the ref can only be a commit ID (or a prefix of one), which no server can be asked for by name. */
    boolean refLooksLikeCommit() {
        return ref.matches("[0-9a-f]{4,40}");
    }
}

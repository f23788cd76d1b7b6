package dev.skiff.build.copy;

import dev.skiff.build.context.PathPattern;
import dev.skiff.build.copy.CopyItem.Entry;
import dev.skiff.build.copy.CopyItem.Kind;
import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Matches COPY/ADD sources in a source root and lists every entry they read, honouring .dockerignore
 * (context only), --exclude and --parents. Wildcards follow {@link PathPattern}; a leading "/" is dropped; a
 * source whose ".." climbs above the build context is refused, as the classic builder refuses it (in a stage or
 * an image, ".." stops at the root); a top-level source that is a symlink is followed inside the root; symlinks
 * below it are copied as links, never followed.
 */
final class SourceResolver {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final CopySource source;
    private final Path root;
    private final List<PathPattern> exclude;
    private final boolean parents;

    SourceResolver(CopySource source, List<String> exclude, boolean parents) {
        this.source = source;
        this.root = source.root().toAbsolutePath().normalize();
        this.exclude = exclude.stream().map(p -> PathPattern.compile(PathPattern.clean(p))).toList();
        this.parents = parents;
    }

    /** The items for one local source as written. */
    List<CopyItem> resolve(String written, String instruction) throws IOException {
        if (source.isContext() && climbsOut(written)) {
            throw new InvalidArgumentException(instruction + " failed: forbidden path outside the build context: "
                    + written + " (sources are relative to the build context root)");
        }
        String raw = written;
        while (raw.startsWith("./")) {
            raw = raw.substring(2);
        }
        String pivot = "";
        int marker = raw.indexOf("/./");
        if (parents && marker >= 0) {
            pivot = PathPattern.clean(raw.substring(0, marker));
            raw = raw.substring(0, marker) + "/" + raw.substring(marker + 3);
        }
        String cleaned = PathPattern.clean(raw);
        List<String> matches = new ArrayList<>();
        if (PathPattern.hasWildcard(cleaned)) {
            PathPattern pattern = PathPattern.compile(cleaned);
            String base = literalPrefix(cleaned);
            // the literal part may pass through symlinks: resolve it inside the root, never outside
            Path start = ScopedPath.resolve(root, base, true);
            if (Files.isDirectory(start, NOFOLLOW)) {
                int depth = cleaned.contains("**") ? Integer.MAX_VALUE : cleaned.split("/").length - (base.isEmpty() ? 0 : base.split("/").length);
                try (Stream<Path> walk = Files.walk(start, depth)) {
                    walk.skip(1).map(p -> logical(base, start.relativize(p).toString())).filter(pattern::matches)
                            .sorted().forEach(matches::add);
                }
            }
            matches.removeIf(this::ignored);
            if (matches.isEmpty()) {
                throw notFound(written, instruction);
            }
        } else {
            if (!cleaned.isEmpty() && ignored(cleaned)) {
                throw notFound(written, instruction);
            }
            matches.add(cleaned);
        }
        List<CopyItem> items = new ArrayList<>();
        for (String rel : matches) {
            items.add(item(written, rel, pivot, instruction));
        }
        return items;
    }

    private static String logical(String base, String rel) {
        return base.isEmpty() ? rel : base + "/" + rel;
    }

    private CopyItem item(String written, String rel, String pivot, String instruction) throws IOException {
        // parents are resolved inside the root too: "link/file" with link -> /etc must not read the host's /etc
        Path path = ScopedPath.resolve(root, rel, false);
        if (!Files.exists(path, NOFOLLOW)) {
            throw notFound(written, instruction);
        }
        if (Files.isSymbolicLink(path)) {
            path = ScopedPath.resolve(root, rel, true);
            if (!Files.exists(path, NOFOLLOW)) {
                throw new InvalidArgumentException(instruction + " source " + written + " is a symlink to a missing file in the "
                        + source.name());
            }
        }
        String baseName = rel.isEmpty() ? "" : rel.substring(rel.lastIndexOf('/') + 1);
        String kept = "";
        if (parents) {
            kept = pivot.isEmpty() ? rel : (rel.startsWith(pivot + "/") ? rel.substring(pivot.length() + 1) : rel);
        }
        FileStat attrs = FileStat.of(Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW));
        List<Entry> entries = new ArrayList<>();
        if (attrs.isDirectory()) {
            entries.add(new Entry(path, "", attrs));
            walk(path, path, rel, "", entries);
            return new CopyItem(Kind.DIRECTORY, written, path, baseName, kept, entries, null, null);
        }
        entries.add(new Entry(path, "", attrs));
        return new CopyItem(Kind.FILE, written, path, baseName, kept, entries, null, null);
    }

    /** Depth-first, names sorted, so the digest and the copy see the same order. */
    private void walk(Path base, Path dir, String rootRel, String rel, List<Entry> out) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String name = child.getFileName().toString();
            String childRel = rel.isEmpty() ? name : rel + "/" + name;
            String fromRoot = rootRel.isEmpty() ? childRel : rootRel + "/" + childRel;
            FileStat attrs = FileStat.of(Files.readAttributes(child, BasicFileAttributes.class, NOFOLLOW));
            boolean skip = ignored(fromRoot) || excluded(fromRoot, childRel);
            if (skip && !(attrs.isDirectory() && !source.ignore().canSkipDirectory(fromRoot) && !excluded(fromRoot, childRel))) {
                continue;
            }
            if (!skip) {
                out.add(new Entry(base, childRel, attrs));
            }
            if (attrs.isDirectory()) {
                walk(base, child, rootRel, childRel, out);
            }
        }
    }

    private boolean ignored(String fromRoot) {
        return source.ignore().excluded(fromRoot);
    }

    private boolean excluded(String fromRoot, String fromSource) {
        for (PathPattern p : exclude) {
            if (p.matchesOrParent(fromRoot) || p.matchesOrParent(fromSource)) {
                return true;
            }
        }
        return false;
    }

    private static String literalPrefix(String pattern) {
        String[] parts = pattern.split("/");
        List<String> out = new ArrayList<>();
        for (int i = 0; i < parts.length - 1 && !PathPattern.hasWildcard(parts[i]); i++) {
            out.add(parts[i]);
        }
        return String.join("/", out);
    }

    /** Whether {@code path}'s ".." parts go above its root (the root being where a leading "/" also starts). */
    static boolean climbsOut(String path) {
        int depth = 0;
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                if (--depth < 0) {
                    return true;
                }
            } else if (!part.isEmpty() && !part.equals(".")) {
                depth++;
            }
        }
        return false;
    }

    private InvalidArgumentException notFound(String written, String instruction) {
        if (source.isContext()) { // the context: the classic builder's words, which people search for
            return new InvalidArgumentException(instruction + " failed: file not found in build context or excluded by"
                    + " .dockerignore: stat " + written + ": file does not exist (sources are relative to the build"
                    + " context root)");
        }
        String hint = source.ignore().isEmpty() ? "" : " or excluded by .dockerignore";
        return new InvalidArgumentException(instruction + " failed: " + written + ": not found in the " + source.name()
                + hint + " (sources are relative to the " + source.name() + " root)");
    }
}

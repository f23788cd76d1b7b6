package dev.skiff.build.context;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A .dockerignore: one pattern per line ({@link PathPattern} syntax), "#" lines are comments, a leading
 * "!" makes an exception, patterns are cleaned (leading and trailing "/" and "." removed); a path is
 * excluded when it or a parent directory matches, and the last matching line wins.
 *
 * <p>{@link #forDockerfile} applies Docker's precedence: {@code <Dockerfile name>.dockerignore} beside the
 * Dockerfile first, then {@code .dockerignore} at the context root.
 */
public final class DockerIgnore {
    /** The largest ignore file read. */
    public static final int MAX_SIZE = 1 << 20;
    public static final DockerIgnore NONE = new DockerIgnore(List.of());

    private record Rule(PathPattern pattern, boolean exception) {
    }

    private final List<Rule> rules;
    private final boolean hasExceptions;

    private DockerIgnore(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        this.hasExceptions = rules.stream().anyMatch(Rule::exception);
    }

    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            String p = line.strip();
            if (p.isEmpty()) {
                continue;
            }
            boolean exception = p.startsWith("!");
            if (exception) {
                p = p.substring(1).strip();
                if (p.isEmpty()) {
                    throw new dev.skiff.errors.InvalidArgumentException("illegal exclusion pattern: \"!\" in .dockerignore");
                }
            }
            p = PathPattern.clean(p);
            if (p.isEmpty()) {
                p = "."; // "/" or "." excludes the whole context; nothing matches "." itself
            }
            rules.add(new Rule(PathPattern.compile(p), exception));
        }
        return new DockerIgnore(rules);
    }

    /**
     * The ignore rules for a build of {@code dockerfile} (a path relative to {@code contextRoot}, or
     * absolute) in {@code contextRoot}; {@link #NONE} when neither file exists.
     */
    public static DockerIgnore forDockerfile(Path contextRoot, Path dockerfile) throws IOException {
        Path beside = contextRoot.resolve(dockerfile).resolveSibling(dockerfile.getFileName() + ".dockerignore");
        for (Path candidate : List.of(beside, contextRoot.resolve(".dockerignore"))) {
            if (Files.isRegularFile(candidate, LinkOption.NOFOLLOW_LINKS)) {
                if (Files.size(candidate) > MAX_SIZE) {
                    throw new dev.skiff.errors.InvalidArgumentException(candidate.getFileName() + " is larger than 1 MiB");
                }
                return parse(Files.readString(candidate, StandardCharsets.UTF_8));
            }
        }
        return NONE;
    }

    /** Whether {@code path} (relative to the context root, "/"-separated) is left out of the context. */
    public boolean excluded(String path) {
        boolean matched = false;
        for (Rule rule : rules) {
            if (rule.exception() != matched) {
                continue; // only an exception can un-match, only a pattern can match
            }
            if (rule.pattern().matchesOrParent(path)) {
                matched = !rule.exception();
            }
        }
        return matched;
    }

    /**
     * Whether a walk may skip the excluded directory {@code dir} entirely: no exception could bring back
     * something inside it.
     */
    public boolean canSkipDirectory(String dir) {
        if (!hasExceptions) {
            return true;
        }
        String prefix = dir + "/";
        for (Rule rule : rules) {
            if (rule.exception()) {
                String text = rule.pattern().toString();
                if (text.startsWith(prefix) || PathPattern.hasWildcard(text) || prefix.startsWith(text + "/")) {
                    return false;
                }
            }
        }
        return true;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }
}

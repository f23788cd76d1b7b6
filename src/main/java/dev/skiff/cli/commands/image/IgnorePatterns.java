package dev.skiff.cli.commands.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The client side of .dockerignore, as the docker CLI applies it before sending a context (moby's
 * patternmatcher): one pattern a line, '#' comments, '!' exceptions, the last matching pattern wins, "**" spans
 * directories, and a pattern that matches a directory excludes everything below it. The daemon applies the full
 * rules again; this copy only keeps ignored files off the wire (the cli cannot use the build packages).
 */
final class IgnorePatterns {
    private record Rule(Pattern regex, boolean exclusion, String text) {
    }

    private final List<Rule> rules;

    private IgnorePatterns(List<Rule> rules) {
        this.rules = rules;
    }

    static IgnorePatterns none() {
        return new IgnorePatterns(List.of());
    }

    /** Reads {@code file} (absent = no patterns). */
    static IgnorePatterns read(Path file) throws IOException {
        if (file == null || !Files.isRegularFile(file)) {
            return none();
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    static IgnorePatterns parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclusion = line.startsWith("!");
            if (exclusion) {
                line = line.substring(1).strip();
            }
            String clean = clean(line);
            if (clean.isEmpty() || clean.equals(".")) {
                continue;
            }
            rules.add(new Rule(Pattern.compile(regex(clean)), exclusion, clean));
        }
        return new IgnorePatterns(rules);
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code relPath} ("a/b/c", '/'-separated) is excluded: it or one of its parents matches. */
    boolean excluded(String relPath) {
        boolean excluded = false;
        String[] parts = relPath.split("/");
        for (Rule rule : rules) {
            boolean match = rule.regex().matcher(relPath).matches();
            if (!match) {
                StringBuilder parent = new StringBuilder();
                for (int i = 0; i < parts.length - 1 && !match; i++) {
                    if (i > 0) {
                        parent.append('/');
                    }
                    parent.append(parts[i]);
                    match = rule.regex().matcher(parent).matches();
                }
            }
            if (match) {
                excluded = !rule.exclusion();
            }
        }
        return excluded;
    }

    /**
     * Whether a directory must be walked even though it is excluded: some exception pattern could re-include
     * something below it (docker does the same check before skipping a directory).
     */
    boolean mayReinclude(String dirPath) {
        for (Rule rule : rules) {
            if (rule.exclusion() && (rule.text().startsWith(dirPath + "/") || rule.text().contains("*"))) {
                return true;
            }
        }
        return false;
    }

    /** Go's filepath.Clean on a slash path, with the leading "/" dropped (patterns are context-relative). */
    private static String clean(String p) {
        List<String> out = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty()) {
                    out.removeLast();
                }
                continue;
            }
            out.add(part);
        }
        return String.join("/", out);
    }

    /** patternmatcher's translation: "**" any number of segments, "*" and "?" within one segment. */
    private static String regex(String pattern) {
        StringBuilder re = new StringBuilder("^");
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < pattern.length() && pattern.charAt(i + 1) == '/') {
                        i++;
                        re.append("(.*/)?"); // "**/" matches zero or more directories
                    } else {
                        re.append(".*");
                    }
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '[') {
                int end = pattern.indexOf(']', i + 1);
                if (end < 0) {
                    re.append("\\[");
                } else {
                    String cls = pattern.substring(i + 1, end).replace("\\", "\\\\");
                    re.append('[').append(cls.startsWith("^") || cls.startsWith("!") ? "^" + cls.substring(1) : cls)
                            .append(']');
                    i = end;
                }
            } else if (c == '\\' && i + 1 < pattern.length()) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.append('$').toString();
    }
}

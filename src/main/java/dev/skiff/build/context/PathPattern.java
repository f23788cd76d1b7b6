package dev.skiff.build.context;

import dev.skiff.errors.InvalidArgumentException;
import java.util.regex.Pattern;

/**
 * A slash-separated path pattern with Go's filepath.Match syntax ({@code *} and {@code ?} never match
 * "/", {@code [a-z]} and {@code [^a]} classes, a backslash escapes) plus {@code **}, which matches any
 * number of whole path components including none. Compiled once to a regular expression, the way
 * moby's patternmatcher does; used by .dockerignore, COPY sources, --exclude and --parents.
 */
public final class PathPattern {
    private final String text;
    private final Pattern regex;

    private PathPattern(String text, Pattern regex) {
        this.text = text;
        this.regex = regex;
    }

    /** Compiles {@code pattern} (already cleaned: no leading "/", no "." or ".." components). */
    public static PathPattern compile(String pattern) {
        StringBuilder re = new StringBuilder("^");
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char ch = pattern.charAt(i);
            if (ch == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                        i++; // "**/" is "**"
                    }
                    re.append(i + 1 >= n ? ".*" : "(.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (ch == '?') {
                re.append("[^/]");
            } else if (ch == '\\') {
                if (i + 1 < n) {
                    re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
                } else {
                    re.append("\\\\");
                }
            } else if (ch == '[') {
                int end = classEnd(pattern, i);
                if (end < 0) {
                    throw new InvalidArgumentException("syntax error in pattern " + pattern + ": unclosed [");
                }
                re.append(charClass(pattern.substring(i + 1, end)));
                i = end;
            } else {
                re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        re.append('$');
        return new PathPattern(pattern, Pattern.compile(re.toString(), Pattern.DOTALL));
    }

    private static int classEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && p.charAt(i) == '^') {
            i++;
        }
        if (i < p.length() && p.charAt(i) == ']') {
            i++; // a leading ] is a member
        }
        for (; i < p.length(); i++) {
            if (p.charAt(i) == '\\') {
                i++;
            } else if (p.charAt(i) == ']') {
                return i;
            }
        }
        return -1;
    }

    private static String charClass(String body) {
        StringBuilder out = new StringBuilder("(?!/)[");
        int i = 0;
        if (body.startsWith("^")) {
            out.append('^');
            i = 1;
        }
        for (; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                c = body.charAt(++i);
                out.append('\\').append(c);
            } else if (c == '-') {
                out.append('-');
            } else if (Character.isLetterOrDigit(c)) {
                out.append(c);
            } else {
                out.append('\\').append(c);
            }
        }
        // Go's classes never match the separator
        return out.append(']').toString();
    }

    /** Whether the whole of {@code path} (relative, "/"-separated) matches. */
    public boolean matches(String path) {
        return regex.matcher(path).matches();
    }

    /** Whether {@code path} or one of its parent directories matches (how .dockerignore excludes). */
    public boolean matchesOrParent(String path) {
        if (matches(path)) {
            return true;
        }
        for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
            if (matches(path.substring(0, i))) {
                return true;
            }
        }
        return false;
    }

    /** True when the text holds any wildcard, so it cannot be taken literally. */
    public static boolean hasWildcard(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') {
                return true;
            }
        }
        return false;
    }

    /**
     * Cleans a path the way Go's path.Clean does and drops any leading "/" and leading ".." (a source
     * may not climb out of its context): "./a//b/../c/" becomes "a/c"; the root becomes "".
     */
    public static String clean(String path) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }

    @Override
    public String toString() {
        return text;
    }
}

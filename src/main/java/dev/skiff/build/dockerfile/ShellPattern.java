package dev.skiff.build.dockerfile;

import java.util.regex.Pattern;

/**
 * The glob patterns of {@code ${var#pattern}}, {@code %}, and {@code /}: {@code *} (shortest or longest),
 * {@code ?}, and backslash escapes of {@code *}, {@code ?} and backslash; no bracket expressions, as in
 * BuildKit.
 */
final class ShellPattern {
    private ShellPattern() {
    }

    /** A shell pattern ({@code *}, {@code ?}, backslash escapes; no brackets) as a regular expression. */
    static Pattern toRegex(String pattern, boolean greedy, boolean anchored) throws ShellLex.LexException {
        StringBuilder out = new StringBuilder(anchored ? "^" : "");
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            switch (c) {
                case '*' -> out.append(greedy ? ".*" : ".*?");
                case '?' -> out.append('.');
                case '\\' -> {
                    char n = i + 1 < pattern.length() ? pattern.charAt(i + 1) : 0;
                    if (n == '}' || n == '/') {
                        continue; // the escape only protected the ${} syntax
                    }
                    if (n != '*' && n != '?' && n != '\\') {
                        throw new ShellLex.LexException("invalid pattern (" + pattern + ") in substitution: invalid escape '\\"
                                + (n == 0 ? "" : String.valueOf(n)) + "'");
                    }
                    out.append('\\').append(n);
                    i++;
                }
                default -> out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(out.toString(), Pattern.DOTALL);
    }

    static String trimPrefix(String pattern, String value, boolean greedy) throws ShellLex.LexException {
        var m = toRegex(pattern, greedy, true).matcher(value);
        return m.find() ? value.substring(m.end()) : value;
    }

    /** Shortest or longest suffix: reverse both so it becomes a leftmost search. */
    static String trimSuffix(String pattern, String value, boolean greedy) throws ShellLex.LexException {
        String reversed = trimPrefix(reversePattern(pattern), new StringBuilder(value).reverse().toString(), greedy);
        return new StringBuilder(reversed).reverse().toString();
    }

    private static String reversePattern(String pattern) {
        char[] in = pattern.toCharArray();
        char[] out = new char[in.length];
        int last = in.length - 1;
        for (int i = 0; i <= last; ) {
            int o = last - i;
            if (in[i] == '\\' && i != last) {
                out[o - 1] = in[i];
                out[o] = in[i + 1];
                i += 2;
            } else {
                out[o] = in[i];
                i++;
            }
        }
        return new String(out);
    }
}

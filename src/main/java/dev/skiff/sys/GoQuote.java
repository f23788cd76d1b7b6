package dev.skiff.sys;

/**
 * Go's strconv.Quote for the characters that matter in practice: docker shows strings this way in the ps
 * COMMAND column, in `--format '{{printf "%q" ...}}'`, and in the history of CMD, ENTRYPOINT and HEALTHCHECK.
 */
public final class GoQuote {
    private GoQuote() {
    }

    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        b.append(String.format("\\x%02x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

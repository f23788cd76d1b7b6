package dev.skiff.registry.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One WWW-Authenticate challenge: {@code Bearer realm="https://auth.example/token",service="registry",
 * scope="repository:x:pull"} or {@code Basic realm="..."}.
 *
 * @param scheme "bearer" or "basic" (lower case)
 * @param params the auth-params, names in lower case
 */
public record Challenge(String scheme, Map<String, String> params) {
    private static final int MAX_LENGTH = 8192;

    public String param(String name) {
        return params.getOrDefault(name, "");
    }

    /** Parses every challenge of a WWW-Authenticate header (RFC 7235; quoted strings with backslash escapes). */
    public static List<Challenge> parse(String header) {
        List<Challenge> out = new ArrayList<>();
        if (header == null || header.length() > MAX_LENGTH) {
            return out;
        }
        Parser p = new Parser(header);
        while (p.skipSpaceAndCommas()) {
            String scheme = p.token();
            if (scheme.isEmpty()) {
                break;
            }
            Map<String, String> params = new LinkedHashMap<>();
            while (true) {
                int mark = p.pos;
                p.skipSpaceAndCommas();
                String name = p.token();
                p.skipSpace();
                if (name.isEmpty() || !p.eat('=')) {
                    p.pos = mark; // the next challenge's scheme
                    break;
                }
                p.skipSpace();
                params.put(name.toLowerCase(Locale.ROOT), p.value());
            }
            out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), Map.copyOf(params)));
        }
        return out;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean skipSpaceAndCommas() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == ',' || s.charAt(pos) == '\t')) {
                pos++;
            }
            return pos < s.length();
        }

        void skipSpace() {
            while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        boolean eat(char c) {
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        String token() {
            int start = pos;
            while (pos < s.length() && "()<>@,;:\\\"/[]?={} \t".indexOf(s.charAt(pos)) < 0) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String value() {
            if (!eat('"')) {
                return token();
            }
            StringBuilder b = new StringBuilder();
            while (pos < s.length() && s.charAt(pos) != '"') {
                char c = s.charAt(pos++);
                if (c == '\\' && pos < s.length()) {
                    c = s.charAt(pos++);
                }
                b.append(c);
            }
            eat('"');
            return b.toString();
        }
    }
}

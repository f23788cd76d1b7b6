package dev.skiff.build.dockerfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name[=value]} flags right after an instruction keyword, split off the way BuildKit's
 * {@code extractBuilderFlags} does (quotes group, a backslash escapes, a lone {@code --} ends the flags),
 * then checked against the flags the instruction accepts.
 */
final class Flags {
    private final Map<String, List<String>> values = new LinkedHashMap<>();
    private final String rest;

    private Flags(String rest) {
        this.rest = rest;
    }

    /** What follows the flags. */
    String rest() {
        return rest;
    }

    /**
     * Splits {@code line} into flags and the rest; {@code allowed} names the flags (without "--") that may
     * be given, {@code repeatable} those that may be given more than once, {@code bool} those with an
     * optional true/false value.
     */
    static Flags parse(String line, String instruction, Set<String> allowed, Set<String> repeatable, Set<String> bool) {
        List<String> words = new ArrayList<>();
        String rest = extract(line, words);
        Flags flags = new Flags(rest);
        for (String word : words) {
            if (!word.startsWith("--")) {
                throw new ParseFailure("invalid flag " + word + " for " + instruction);
            }
            String body = word.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            String value = eq < 0 ? null : body.substring(eq + 1);
            if (!allowed.contains(name)) {
                throw new ParseFailure("unknown flag: --" + name + " for " + instruction);
            }
            if (bool.contains(name)) {
                if (value == null) {
                    value = "true";
                } else if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                    throw new ParseFailure("expecting boolean value for flag --" + name + ", not: " + value);
                }
            } else if (value == null) {
                throw new ParseFailure("missing a value on flag: --" + name);
            }
            List<String> list = flags.values.computeIfAbsent(name, k -> new ArrayList<>());
            if (!list.isEmpty() && !repeatable.contains(name)) {
                throw new ParseFailure("duplicate flag specified: --" + name);
            }
            list.add(value);
        }
        return flags;
    }

    String string(String name) {
        List<String> v = values.get(name);
        return v == null ? null : v.getLast();
    }

    List<String> strings(String name) {
        return List.copyOf(values.getOrDefault(name, List.of()));
    }

    boolean bool(String name) {
        String v = string(name);
        return v != null && v.equalsIgnoreCase("true");
    }

    /** Null when not given, so "--unpack=false" and no flag differ. */
    Boolean optionalBool(String name) {
        String v = string(name);
        return v == null ? null : v.equalsIgnoreCase("true");
    }

    private static String extract(String line, List<String> words) {
        final int inSpaces = 0, inWord = 1, inQuote = 2;
        int phase = inSpaces;
        StringBuilder word = new StringBuilder();
        char quote = 0;
        boolean blankOk = false;
        int n = line.length();
        for (int pos = 0; pos <= n; pos++) {
            char ch = pos < n ? line.charAt(pos) : 0;
            if (phase == inSpaces) {
                if (pos == n) {
                    break;
                }
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                if (ch != '-' || pos + 1 == n || line.charAt(pos + 1) != '-') {
                    return line.substring(pos);
                }
                phase = inWord;
            }
            if (pos == n) {
                if (!word.toString().equals("--") && (blankOk || !word.isEmpty())) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (Character.isWhitespace(ch)) {
                    phase = inSpaces;
                    if (word.toString().equals("--")) {
                        return line.substring(pos).stripLeading();
                    }
                    if (blankOk || !word.isEmpty()) {
                        words.add(word.toString());
                    }
                    word.setLength(0);
                    blankOk = false;
                    continue;
                }
                if (ch == '\'' || ch == '"') {
                    quote = ch;
                    blankOk = true;
                    phase = inQuote;
                    continue;
                }
                if (ch == '\\') {
                    if (pos + 1 == n) {
                        continue;
                    }
                    ch = line.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            // inQuote
            if (ch == quote) {
                phase = inWord;
                continue;
            }
            if (ch == '\\') {
                if (pos + 1 == n) {
                    phase = inWord;
                    continue;
                }
                ch = line.charAt(++pos);
            }
            word.append(ch);
        }
        return "";
    }
}

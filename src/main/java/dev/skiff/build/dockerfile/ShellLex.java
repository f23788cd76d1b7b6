package dev.skiff.build.dockerfile;

import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The builder's own variable substitution and word splitting, the way BuildKit's {@code shell.Lex} does it
 * (not a shell: no command substitution, no globbing). Handles {@code $var}, {@code ${var}}, the
 * {@code :-}, {@code -}, {@code :+}, {@code +}, {@code :?}, {@code ?} modifiers, the {@code #}, {@code ##},
 * {@code %}, {@code %%} pattern trims and {@code /} and {@code //} replacement; single quotes (literal),
 * double quotes (only {@code $}, the quote and the escape character are special) and the escape
 * character (the Dockerfile's, '\\' or '`').
 *
 * <p>{@code env} maps set variables to values; a key that is absent is unset (which {@code -} and
 * {@code +} tell apart from empty). Not thread-safe: one instance per use.
 */
public final class ShellLex {
    private final char escape;
    private final boolean rawQuotes;
    private final boolean rawEscapesDefault;
    private final boolean skipUnset;
    private boolean skipQuotes;
    private String src;
    private int pos;
    private boolean rawEscapes;
    private Map<String, String> env;
    /** How deep ${...} words nest right now; bounded, as the lexer recurses into them (20,000 overflowed its stack). */
    private int depth;
    static final int MAX_DEPTH = 200;

    public ShellLex(char escape) {
        this(escape, false, false, false);
    }

    private ShellLex(char escape, boolean rawQuotes, boolean rawEscapes, boolean skipUnset) {
        this.escape = escape;
        this.rawQuotes = rawQuotes;
        this.rawEscapesDefault = rawEscapes;
        this.skipUnset = skipUnset;
    }

    public char escape() {
        return escape;
    }

    /** A lexer that keeps quotes and escapes in its output (the parser's heredoc detection uses it). */
    static ShellLex raw(char escape, boolean rawQuotes, boolean rawEscapes, boolean skipUnset) {
        return new ShellLex(escape, rawQuotes, rawEscapes, skipUnset);
    }

    /**
     * A lexer for heredoc bodies: quotes are ordinary characters there (BuildKit's SkipProcessQuotes),
     * only variables and the escape character are special.
     */
    public static ShellLex heredoc(char escape) {
        ShellLex lex = new ShellLex(escape);
        lex.skipQuotes = true;
        return lex;
    }

    /** Substitutes variables and removes quotes; spaces between words are kept. */
    public String processWord(String word, Map<String, String> env) {
        return process(word, env).word();
    }

    /** Substitutes variables, then splits into words on unquoted whitespace (after substitution). */
    public List<String> processWords(String word, Map<String, String> env) {
        return process(word, env).words();
    }

    private record Result(String word, List<String> words) {
    }

    private Result process(String word, Map<String, String> env) {
        this.src = word;
        this.pos = 0;
        this.env = env;
        this.rawEscapes = rawEscapesDefault;
        this.depth = 0;
        try {
            return processStopOn(-1, rawEscapesDefault);
        } catch (LexException e) {
            String shown = word.length() > 200 ? word.substring(0, 200) + "..." : word; // a message, not the line again
            throw new InvalidArgumentException("failed to process \"" + shown + "\": " + e.getMessage());
        }
    }

    /** A syntax error inside one word; {@link #process} adds the word to the message. */
    static final class LexException extends Exception {
        LexException(String message) {
            super(message, null, false, false);
        }
    }

    private int peek() {
        return pos < src.length() ? src.charAt(pos) : -1;
    }

    private int next() {
        return pos < src.length() ? src.charAt(pos++) : -1;
    }

    /** Words as the lexer sees them: unquoted whitespace coming from text or variables splits. */
    private static final class Words {
        private final List<String> words = new ArrayList<>();
        private final StringBuilder word = new StringBuilder();
        private boolean inWord;

        void addChar(int ch) {
            if (Character.isWhitespace(ch)) {
                if (inWord && !word.isEmpty()) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                addRaw(ch);
            }
        }

        void addRaw(int ch) {
            word.append((char) ch);
            inWord = true;
        }

        void addString(String s) {
            s.chars().forEach(this::addChar);
        }

        void addRawString(String s) {
            word.append(s);
            inWord = true;
        }

        List<String> get() {
            if (!word.isEmpty()) {
                words.add(word.toString());
                word.setLength(0);
                inWord = false;
            }
            return List.copyOf(words);
        }
    }

    private Result processStopOn(int stop, boolean raw) throws LexException {
        if (++depth > MAX_DEPTH) {
            throw new LexException("variable substitutions nested more than " + MAX_DEPTH + " deep");
        }
        boolean saved = rawEscapes;
        rawEscapes = raw;
        try {
            StringBuilder result = new StringBuilder();
            Words words = new Words();
            while (peek() != -1) {
                int ch = peek();
                if (stop != -1 && ch == stop) {
                    next();
                    return new Result(result.toString(), words.get());
                }
                if (ch == '$') {
                    String value = processDollar();
                    result.append(value);
                    words.addString(value);
                } else if (ch == '\'' && !skipQuotes) {
                    String value = processSingleQuote();
                    result.append(value);
                    words.addRawString(value);
                } else if (ch == '"' && !skipQuotes) {
                    String value = processDoubleQuote();
                    result.append(value);
                    words.addRawString(value);
                } else {
                    ch = next();
                    if (ch == escape) {
                        if (rawEscapes) {
                            words.addRaw(ch);
                            result.append((char) ch);
                        }
                        ch = next();
                        if (ch == -1) {
                            break;
                        }
                        words.addRaw(ch);
                    } else {
                        words.addChar(ch);
                    }
                    result.append((char) ch);
                }
            }
            if (stop != -1) {
                throw new LexException("unexpected end of statement while looking for matching " + (char) stop);
            }
            return new Result(result.toString(), words.get());
        } finally {
            rawEscapes = saved;
            depth--;
        }
    }

    private String processSingleQuote() throws LexException {
        StringBuilder out = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            out.append((char) ch);
        }
        while (true) {
            ch = next();
            if (ch == -1) {
                throw new LexException("unexpected end of statement while looking for matching single-quote");
            }
            if (ch == '\'') {
                if (rawQuotes) {
                    out.append((char) ch);
                }
                return out.toString();
            }
            out.append((char) ch);
        }
    }

    private String processDoubleQuote() throws LexException {
        StringBuilder out = new StringBuilder();
        int ch = next();
        if (rawQuotes) {
            out.append((char) ch);
        }
        while (true) {
            int p = peek();
            if (p == -1) {
                throw new LexException("unexpected end of statement while looking for matching double-quote");
            } else if (p == '"') {
                next();
                if (rawQuotes) {
                    out.append('"');
                }
                return out.toString();
            } else if (p == '$') {
                out.append(processDollar());
            } else {
                ch = next();
                if (ch == escape) {
                    if (rawEscapes) {
                        out.append((char) ch);
                    }
                    int after = peek();
                    if (after == -1) {
                        continue; // an escape at the very end of the word is dropped
                    }
                    if (after == '"' || after == '$' || after == escape) {
                        ch = next();
                    }
                }
                out.append((char) ch);
            }
        }
    }

    private String processDollar() throws LexException {
        next();
        if (peek() != '{') {
            String name = processName();
            if (name.isEmpty()) {
                return "$";
            }
            String value = env.get(name);
            if (value == null && skipUnset) {
                return "$" + name;
            }
            return value == null ? "" : value;
        }
        next();
        int p = peek();
        if (p == -1) {
            throw new LexException("syntax error: missing '}'");
        }
        if (p == '{' || p == '}' || p == ':') {
            throw new LexException("syntax error: bad substitution");
        }
        String name = processName();
        int ch = next();
        String modifier = ch == -1 ? "" : String.valueOf((char) ch);
        boolean nullIsUnset = false;
        if (ch == -1) {
            throw new LexException("syntax error: missing '}'");
        }
        switch (ch) {
            case '}' -> {
                String value = env.get(name);
                if (value == null && skipUnset) {
                    return "${" + name + "}";
                }
                return value == null ? "" : value;
            }
            case '/' -> {
                return replace(name);
            }
            case ':' -> {
                nullIsUnset = true;
                ch = next();
                modifier += ch == -1 ? "" : String.valueOf((char) ch);
            }
            case '+', '-', '?', '#', '%' -> {
            }
            default -> throw new LexException("unsupported modifier (" + modifier + ") in substitution");
        }
        if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
            throw new LexException("unsupported modifier (" + modifier + ") in substitution");
        }
        String word;
        try {
            word = processStopOn('}', ch == '#' || ch == '%').word();
        } catch (LexException e) {
            if (peek() == -1) {
                throw new LexException("syntax error: missing '}'");
            }
            throw e;
        }
        String value = env.get(name);
        boolean set = value != null;
        if (!set && skipUnset) {
            return "${" + name + modifier + word + "}";
        }
        String v = set ? value : "";
        boolean unsetLike = !set || (nullIsUnset && v.isEmpty());
        return switch (ch) {
            case '-' -> unsetLike ? word : v;
            case '+' -> unsetLike ? "" : word;
            case '?' -> {
                if (!set) {
                    throw new LexException(name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                }
                if (nullIsUnset && v.isEmpty()) {
                    throw new LexException(name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                }
                yield v;
            }
            default -> {
                boolean greedy = !word.isEmpty() && word.charAt(0) == ch;
                String pattern = greedy ? word.substring(1) : word;
                yield ch == '%' ? ShellPattern.trimSuffix(pattern, v, greedy) : ShellPattern.trimPrefix(pattern, v, greedy);
            }
        };
    }

    private String replace(String name) throws LexException {
        boolean all = peek() == '/';
        if (all) {
            next();
        }
        String pattern;
        String replacement;
        try {
            pattern = processStopOn('/', true).word();
        } catch (LexException e) {
            throw peek() == -1 ? new LexException("syntax error: missing '/' in ${}") : e;
        }
        try {
            replacement = processStopOn('}', true).word();
        } catch (LexException e) {
            throw peek() == -1 ? new LexException("syntax error: missing '}'") : e;
        }
        String value = env.get(name);
        if (value == null && skipUnset) {
            return "${" + name + "/" + pattern + "/" + replacement + "}";
        }
        String v = value == null ? "" : value;
        Pattern re = ShellPattern.toRegex(pattern, true, false);
        var m = re.matcher(v);
        if (all) {
            return m.replaceAll(java.util.regex.Matcher.quoteReplacement(replacement));
        }
        return m.find() ? v.substring(0, m.start()) + replacement + v.substring(m.end()) : v;
    }

    private String processName() {
        StringBuilder name = new StringBuilder();
        while (peek() != -1) {
            int ch = peek();
            if (name.isEmpty() && Character.isDigit(ch)) {
                while (peek() != -1 && Character.isDigit(peek())) {
                    name.append((char) next());
                }
                return name.toString();
            }
            if (name.isEmpty() && "@*#?-$!0".indexOf(ch) >= 0) {
                return String.valueOf((char) next());
            }
            if (!Character.isLetterOrDigit(ch) && ch != '_') {
                break;
            }
            name.append((char) next());
        }
        return name.toString();
    }
}

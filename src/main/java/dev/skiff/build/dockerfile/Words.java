package dev.skiff.build.dockerfile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Word splitting of instruction arguments before substitution, as BuildKit's line parsers do it. */
final class Words {
    private Words() {
    }

    /**
     * Splits on unquoted whitespace keeping quotes and escapes in the words (the later substitution
     * removes them): BuildKit's {@code parseWords}, used by ENV, LABEL and ARG.
     */
    static List<String> split(String rest, char escape) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        final int inSpaces = 0, inWord = 1, inQuote = 2;
        int phase = inSpaces;
        char quote = 0;
        boolean blankOk = false;
        int n = rest.length();
        for (int pos = 0; pos <= n; pos++) {
            char ch = pos < n ? rest.charAt(pos) : 0;
            if (phase == inSpaces) {
                if (pos == n) {
                    break;
                }
                if (Character.isWhitespace(ch)) {
                    continue;
                }
                phase = inWord;
            }
            if (pos == n) {
                if (blankOk || !word.isEmpty()) {
                    words.add(word.toString());
                }
                break;
            }
            if (phase == inWord) {
                if (Character.isWhitespace(ch)) {
                    phase = inSpaces;
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
                }
                if (ch == escape) {
                    if (pos + 1 == n) {
                        continue;
                    }
                    // an escape outside quotes keeps itself and the next char, even a quote
                    word.append(ch);
                    ch = rest.charAt(++pos);
                }
                word.append(ch);
                continue;
            }
            // inQuote
            if (ch == quote) {
                phase = inWord;
            }
            if (ch == escape && quote != '\'') {
                if (pos + 1 == n) {
                    phase = inWord;
                    continue;
                }
                word.append(ch);
                ch = rest.charAt(++pos);
            }
            word.append(ch);
        }
        return words;
    }

    /** Whitespace-separated words with nothing special about quotes (FROM, EXPOSE, the shell form of COPY). */
    static List<String> whitespace(String rest) {
        String trimmed = rest.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("[ \t\r\n\f\u000b]+"));
    }

    /** The JSON array of strings {@code rest} holds, or empty when it is not one (then it is shell form). */
    static Optional<List<String>> jsonArray(String rest) {
        String s = rest.strip();
        if (!s.startsWith("[") || !s.endsWith("]")) {
            return Optional.empty();
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(s);
        } catch (java.io.IOException | RuntimeException e) {
            return Optional.empty(); // not JSON: the shell form
        }
        if (node == null || !node.isArray()) {
            return Optional.empty();
        }
        List<String> out = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                // JSON, but not of strings: an error, as BuildKit's parser makes it, not a shell form that would
                // run "[1]" or make volumes named "[/a," and "2]"
                throw new ParseFailure("when using JSON array syntax, arrays must be comprised of strings only"
                        + " (found " + element + "; quote it: \"" + element.asText() + "\")");
            }
            out.add(element.textValue());
        }
        return Optional.of(out);
    }
}

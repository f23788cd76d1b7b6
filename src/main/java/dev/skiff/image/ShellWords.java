package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.List;

/** Splits a line into words the way a POSIX shell would for plain words: quotes group, backslash escapes. */
final class ShellWords {
    private ShellWords() {
    }

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quote == '\'') {
                if (ch == '\'') {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '\\' && i + 1 < line.length() && (quote == 0 || "\"\\$`".indexOf(line.charAt(i + 1)) >= 0)) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (quote == '"') {
                if (ch == '"') {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                inWord = true;
            } else if (Character.isWhitespace(ch)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(ch);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new InvalidArgumentException("unterminated quote in \"" + line + "\"");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}

package dev.skiff.cli.format;

import java.util.ArrayList;
import java.util.List;

/** Splits template source into text and action items, and an action into tokens. */
final class TemplateLexer {
    enum Kind { FIELD, VARIABLE, IDENT, STRING, NUMBER, DECLARE, ASSIGN, PIPE, LPAREN, RPAREN, COMMA, DOT }

    record Token(Kind kind, String text, int pos) {
    }

    /** Either literal text (tokens == null) or an action with its tokens; pos is the source offset. */
    record Item(String text, List<Token> tokens, int pos) {
        boolean isAction() {
            return tokens != null;
        }
    }

    private TemplateLexer() {
    }

    static List<Item> items(String src) throws TemplateException {
        List<Item> items = new ArrayList<>();
        int i = 0;
        boolean trimNext = false;
        while (i < src.length()) {
            int open = src.indexOf("{{", i);
            String text = open < 0 ? src.substring(i) : src.substring(i, open);
            if (trimNext) {
                text = text.stripLeading();
            }
            if (open < 0) {
                addText(items, text, i);
                break;
            }
            int body = open + 2;
            if (src.startsWith("- ", body) || src.startsWith("-\t", body) || src.startsWith("-\n", body)) {
                text = text.stripTrailing();
                body += 1;
            }
            addText(items, text, i);
            int close = findClose(src, body);
            if (close < 0) {
                throw new TemplateException("template: :" + line(src, open) + ": unclosed action");
            }
            int end = close;
            trimNext = false;
            if (close > body && src.charAt(close - 1) == '-' && close - 2 >= body
                    && Character.isWhitespace(src.charAt(close - 2))) {
                trimNext = true;
                end = close - 1;
            }
            String action = src.substring(body, end);
            String trimmed = action.strip();
            if (!(trimmed.startsWith("/*") && trimmed.endsWith("*/"))) {
                items.add(new Item(null, tokens(src, action, body), open));
            }
            i = close + 2;
        }
        return items;
    }

    private static void addText(List<Item> items, String text, int pos) {
        if (!text.isEmpty()) {
            items.add(new Item(text, null, pos));
        }
    }

    /** Finds "}}" outside string literals. */
    private static int findClose(String src, int from) {
        for (int i = from; i < src.length() - 1; i++) {
            char c = src.charAt(i);
            if (c == '"' || c == '`') {
                int j = i + 1;
                while (j < src.length() && src.charAt(j) != c) {
                    j += (c == '"' && src.charAt(j) == '\\') ? 2 : 1;
                }
                i = j;
            } else if (c == '}' && src.charAt(i + 1) == '}') {
                return i;
            }
        }
        return -1;
    }

    static int line(String src, int pos) {
        int n = 1;
        for (int i = 0; i < pos && i < src.length(); i++) {
            if (src.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    private static List<Token> tokens(String src, String action, int base) throws TemplateException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = action.length();
        while (i < n) {
            char c = action.charAt(i);
            int pos = base + i;
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int j = i + 1;
                StringBuilder sb = new StringBuilder();
                while (j < n && action.charAt(j) != '"') {
                    char d = action.charAt(j);
                    if (d == '\\' && j + 1 < n) {
                        j++;
                        char e = action.charAt(j);
                        sb.append(switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            default -> e;
                        });
                    } else {
                        sb.append(d);
                    }
                    j++;
                }
                if (j >= n) {
                    throw new TemplateException("template: :" + line(src, pos) + ": unterminated quoted string");
                }
                out.add(new Token(Kind.STRING, sb.toString(), pos));
                i = j + 1;
            } else if (c == '`') {
                int j = action.indexOf('`', i + 1);
                if (j < 0) {
                    throw new TemplateException("template: :" + line(src, pos) + ": unterminated raw quoted string");
                }
                out.add(new Token(Kind.STRING, action.substring(i + 1, j), pos));
                i = j + 1;
            } else if (c == ':' && i + 1 < n && action.charAt(i + 1) == '=') {
                out.add(new Token(Kind.DECLARE, ":=", pos));
                i += 2;
            } else if (c == '=') {
                out.add(new Token(Kind.ASSIGN, "=", pos));
                i++;
            } else if (c == '|') {
                out.add(new Token(Kind.PIPE, "|", pos));
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                out.add(new Token(c == '(' ? Kind.LPAREN : c == ')' ? Kind.RPAREN : Kind.COMMA, String.valueOf(c), pos));
                i++;
            } else if (c == '.' && (i + 1 >= n || !isWordChar(action.charAt(i + 1)))) {
                out.add(new Token(Kind.DOT, ".", pos));
                i++;
            } else if (c == '.' || c == '$') {
                int j = i + 1;
                while (j < n && (isWordChar(action.charAt(j)) || action.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(c == '.' ? Kind.FIELD : Kind.VARIABLE, action.substring(i, j), pos));
                i = j;
            } else if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < n && Character.isDigit(action.charAt(i + 1)))) {
                int j = i + 1;
                while (j < n && (Character.isLetterOrDigit(action.charAt(j)) || action.charAt(j) == '.')) {
                    j++;
                }
                out.add(new Token(Kind.NUMBER, action.substring(i, j), pos));
                i = j;
            } else if (isWordChar(c)) {
                int j = i;
                while (j < n && isWordChar(action.charAt(j))) {
                    j++;
                }
                out.add(new Token(Kind.IDENT, action.substring(i, j), pos));
                i = j;
            } else {
                throw new TemplateException("template: :" + line(src, pos) + ": unexpected \"" + c + "\" in command");
            }
        }
        return out;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }
}

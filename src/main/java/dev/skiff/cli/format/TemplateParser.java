package dev.skiff.cli.format;

import dev.skiff.cli.format.Nodes.Arg;
import dev.skiff.cli.format.Nodes.Cmd;
import dev.skiff.cli.format.Nodes.Node;
import dev.skiff.cli.format.Nodes.Pipe;
import dev.skiff.cli.format.TemplateLexer.Item;
import dev.skiff.cli.format.TemplateLexer.Kind;
import dev.skiff.cli.format.TemplateLexer.Token;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Recursive descent over lexed items into {@link Nodes}. */
final class TemplateParser {
    private final String src;
    private final List<Item> items;
    private int next;

    private TemplateParser(String src, List<Item> items) {
        this.src = src;
        this.items = items;
    }

    static List<Node> parse(String src) throws TemplateException {
        TemplateParser p = new TemplateParser(src, TemplateLexer.items(src));
        List<Node> nodes = new ArrayList<>();
        String stop = p.parseList(nodes);
        if (stop != null) {
            throw p.error(p.items.get(p.next - 1).pos(), "unexpected {{" + stop + "}}");
        }
        return nodes;
    }

    /** Parses until {{end}}/{{else ...}} (returned, with the item consumed) or the end of input (null). */
    private String parseList(List<Node> into) throws TemplateException {
        while (next < items.size()) {
            Item item = items.get(next++);
            if (!item.isAction()) {
                into.add(new Nodes.Text(item.text()));
                continue;
            }
            List<Token> t = item.tokens();
            if (t.isEmpty()) {
                throw error(item.pos(), "missing value for command");
            }
            Token first = t.getFirst();
            String word = first.kind() == Kind.IDENT ? first.text() : "";
            switch (word) {
                case "end", "else" -> {
                    return word;
                }
                case "if" -> into.add(parseIf(item, t.subList(1, t.size())));
                case "range", "with" -> into.add(parseBlock(item, word, t.subList(1, t.size())));
                case "define", "template", "block", "break", "continue" ->
                        throw error(item.pos(), "{{" + word + "}} is not supported in --format templates");
                default -> into.add(new Nodes.Action(item.pos(), pipe(item, t)));
            }
        }
        return null;
    }

    private Node parseIf(Item item, List<Token> cond) throws TemplateException {
        Pipe pipe = pipe(item, cond);
        List<Node> then = new ArrayList<>();
        String stop = parseList(then);
        List<Node> otherwise = new ArrayList<>();
        if ("else".equals(stop)) {
            List<Token> rest = items.get(next - 1).tokens();
            if (rest.size() > 1 && rest.get(1).text().equals("if")) {
                // {{else if x}} nests an if that shares the outer {{end}}.
                otherwise.add(parseIf(items.get(next - 1), rest.subList(2, rest.size())));
                return new Nodes.If(item.pos(), pipe, then, otherwise);
            }
            stop = parseList(otherwise);
        }
        expectEnd(item, stop);
        return new Nodes.If(item.pos(), pipe, then, otherwise);
    }

    private Node parseBlock(Item item, String kind, List<Token> head) throws TemplateException {
        Pipe pipe = pipe(item, head);
        List<Node> body = new ArrayList<>();
        String stop = parseList(body);
        List<Node> otherwise = new ArrayList<>();
        if ("else".equals(stop)) {
            stop = parseList(otherwise);
        }
        expectEnd(item, stop);
        return kind.equals("range") ? new Nodes.Range(item.pos(), pipe, body, otherwise)
                : new Nodes.With(item.pos(), pipe, body, otherwise);
    }

    private void expectEnd(Item item, String stop) throws TemplateException {
        if (!"end".equals(stop)) {
            throw error(item.pos(), "unexpected EOF");
        }
    }

    private Pipe pipe(Item item, List<Token> tokens) throws TemplateException {
        if (tokens.isEmpty()) {
            throw error(item.pos(), "missing value for command");
        }
        List<String> vars = new ArrayList<>();
        int i = 0;
        int decl = indexOf(tokens, Kind.DECLARE) >= 0 ? indexOf(tokens, Kind.DECLARE) : indexOf(tokens, Kind.ASSIGN);
        if (decl > 0 && tokens.subList(0, decl).stream().allMatch(t -> t.kind() == Kind.VARIABLE || t.kind() == Kind.COMMA)) {
            for (Token t : tokens.subList(0, decl)) {
                if (t.kind() == Kind.VARIABLE) {
                    vars.add(t.text());
                }
            }
            i = decl + 1;
        }
        int[] cursor = {i};
        List<Cmd> cmds = parseCommands(item, tokens, cursor, false);
        String source = src.substring(tokens.getFirst().pos(), Math.min(src.length(), endOf(tokens.getLast())));
        return new Pipe(tokens.getFirst().pos(), source, vars, cmds);
    }

    /** Go places a chain (.A.B, $x.A) at its second element: errors name that column. */
    private static int chainPos(Token t) {
        int second = t.text().indexOf('.', 1);
        return second < 0 ? t.pos() : t.pos() + second;
    }

    private static int endOf(Token t) {
        return t.pos() + (t.kind() == Kind.STRING ? t.text().length() + 2 : t.text().length());
    }

    private List<Cmd> parseCommands(Item item, List<Token> tokens, int[] cur, boolean inParens) throws TemplateException {
        List<Cmd> cmds = new ArrayList<>();
        List<Arg> args = new ArrayList<>();
        while (cur[0] < tokens.size()) {
            Token t = tokens.get(cur[0]++);
            switch (t.kind()) {
                case PIPE -> {
                    if (args.isEmpty()) {
                        throw error(t.pos(), "missing command");
                    }
                    cmds.add(new Cmd(args.getFirst().pos(), args));
                    args = new ArrayList<>();
                }
                case RPAREN -> {
                    if (!inParens) {
                        throw error(t.pos(), "unexpected right paren");
                    }
                    finish(cmds, args, t);
                    return cmds;
                }
                case LPAREN -> {
                    List<Cmd> inner = parseCommands(item, tokens, cur, true);
                    Pipe sub = new Pipe(t.pos(), "(...)", List.of(), inner);
                    List<String> chain = List.of();
                    if (cur[0] < tokens.size() && tokens.get(cur[0]).kind() == Kind.FIELD
                            && tokens.get(cur[0]).pos() == tokens.get(cur[0] - 1).pos() + 1) {
                        chain = chain(tokens.get(cur[0]++).text());
                    }
                    args.add(new Nodes.SubPipe(t.pos(), sub, chain));
                }
                case DOT -> args.add(new Nodes.Field(t.pos(), List.of()));
                case FIELD -> args.add(new Nodes.Field(chainPos(t), chain(t.text())));
                case VARIABLE -> {
                    String[] parts = t.text().split("\\.", 2);
                    args.add(new Nodes.Variable(parts.length > 1 ? t.pos() + parts[0].length() : t.pos(), parts[0],
                            parts.length > 1 ? chain("." + parts[1]) : List.of()));
                }
                case STRING -> args.add(new Nodes.Literal(t.pos(), t.text()));
                case NUMBER -> args.add(new Nodes.Literal(t.pos(), number(t)));
                case IDENT -> args.add(switch (t.text()) {
                    case "true" -> new Nodes.Literal(t.pos(), Boolean.TRUE);
                    case "false" -> new Nodes.Literal(t.pos(), Boolean.FALSE);
                    case "nil" -> new Nodes.Nil(t.pos());
                    default -> new Nodes.Function(t.pos(), t.text());
                });
                default -> throw error(t.pos(), "unexpected \"" + t.text() + "\" in command");
            }
        }
        if (inParens) {
            throw error(item.pos(), "unclosed left paren");
        }
        finish(cmds, args, tokens.getLast());
        return cmds;
    }

    private void finish(List<Cmd> cmds, List<Arg> args, Token at) throws TemplateException {
        if (args.isEmpty()) {
            throw error(at.pos(), "missing value for command");
        }
        cmds.add(new Cmd(args.getFirst().pos(), args));
    }

    private static List<String> chain(String fieldText) {
        return Arrays.asList(fieldText.substring(1).split("\\."));
    }

    private Object number(Token t) throws TemplateException {
        try {
            if (t.text().matches("[-+]?\\d+")) {
                return Long.parseLong(t.text());
            }
            return Double.parseDouble(t.text());
        } catch (NumberFormatException e) {
            throw error(t.pos(), "bad number syntax: \"" + t.text() + "\"");
        }
    }

    private static int indexOf(List<Token> tokens, Kind kind) {
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).kind() == kind) {
                return i;
            }
        }
        return -1;
    }

    private TemplateException error(int pos, String message) {
        return new TemplateException("template: :" + TemplateLexer.line(src, pos) + ": " + message);
    }
}

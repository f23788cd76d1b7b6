package dev.skiff.cli.format;

import dev.skiff.cli.format.Nodes.Arg;
import dev.skiff.cli.format.Nodes.Cmd;
import dev.skiff.cli.format.Nodes.Node;
import dev.skiff.cli.format.Nodes.Pipe;
import dev.skiff.cli.format.TemplateFunctions.Fn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A parsed Go text/template. Data is plain Java (Map, List, String, Number, Boolean, null: what
 * Jackson makes of the API's JSON) or {@link Row}s. Strict mode is Go's missingkey=error, which
 * docker inspect falls back to.
 */
public final class Template {
    private final String name;
    private final String source;
    private final List<Node> nodes;
    private final Map<String, Fn> functions;

    private Template(String name, String source, List<Node> nodes, Map<String, Fn> functions) {
        this.name = name;
        this.source = source;
        this.nodes = nodes;
        this.functions = functions;
    }

    /** The same template under a name, which its execution errors give as Go's do ("template: version:1:2: ..."). */
    public Template named(String templateName) {
        return new Template(templateName, source, nodes, functions);
    }

    public static Template parse(String source) throws TemplateException {
        return new Template("", source, TemplateParser.parse(source), TemplateFunctions.standard());
    }

    /** The same template with docker's header functions, for a table's header line. */
    Template forHeader() {
        return new Template(name, source, nodes, TemplateFunctions.header());
    }

    /** Adds a function (name -> body taking the evaluated arguments). */
    public Template withFunction(String name, java.util.function.Function<List<Object>, Object> body) {
        Map<String, Fn> f = new java.util.HashMap<>(functions);
        f.put(name, body::apply);
        return new Template(name, source, nodes, f);
    }

    public String execute(Object data) throws TemplateException {
        return execute(data, false);
    }

    public String execute(Object data, boolean strict) throws TemplateException {
        StringBuilder out = new StringBuilder();
        execute(data, strict, out);
        return out.toString();
    }

    /** Executes into out; on error, what was written before the error stays (as with Go). */
    public void execute(Object data, boolean strict, StringBuilder out) throws TemplateException {
        Exec exec = new Exec(data, strict, out);
        exec.list(nodes, data);
    }

    private final class Exec {
        private final boolean strict;
        private final StringBuilder out;
        private final List<Object[]> vars = new ArrayList<>();

        Exec(Object root, boolean strict, StringBuilder out) {
            this.strict = strict;
            this.out = out;
            vars.add(new Object[] {"$", root});
        }

        void list(List<Node> list, Object dot) throws TemplateException {
            for (Node n : list) {
                node(n, dot);
            }
        }

        private void node(Node n, Object dot) throws TemplateException {
            switch (n) {
                case Nodes.Text t -> out.append(t.text());
                case Nodes.Action a -> {
                    Object v = pipe(a.pipe(), dot);
                    if (a.pipe().vars().isEmpty()) {
                        out.append(GoValues.print(v));
                    }
                }
                case Nodes.If i -> scoped(() -> list(GoValues.truthy(pipe(i.pipe(), dot)) ? i.then() : i.otherwise(), dot));
                case Nodes.With w -> scoped(() -> {
                    Object v = pipe(w.pipe(), dot);
                    if (GoValues.truthy(v)) {
                        list(w.body(), v);
                    } else {
                        list(w.otherwise(), dot);
                    }
                });
                case Nodes.Range r -> scoped(() -> range(r, dot));
            }
        }

        private void range(Nodes.Range r, Object dot) throws TemplateException {
            Pipe p = r.pipe();
            Object v = pipe(new Pipe(p.pos(), p.source(), List.of(), p.cmds()), dot);
            List<Object[]> items = new ArrayList<>();
            if (v instanceof List<?> l) {
                for (int i = 0; i < l.size(); i++) {
                    items.add(new Object[] {(long) i, l.get(i)});
                }
            } else if (v instanceof Map<?, ?> m) {
                new TreeMap<>(m).forEach((k, e) -> items.add(new Object[] {k, e}));
            } else if (v instanceof Number n && !(v instanceof Double)) {
                for (long i = 0; i < n.longValue(); i++) {
                    items.add(new Object[] {i, i});
                }
            } else if (v != null && v != GoValues.NO_VALUE) {
                throw execError(p.pos(), p.source(), "range can't iterate over " + GoValues.print(v));
            }
            if (items.isEmpty()) {
                list(r.otherwise(), dot);
                return;
            }
            int mark = vars.size();
            for (Object[] item : items) {
                if (p.vars().size() == 1) {
                    vars.add(new Object[] {p.vars().get(0), item[1]});
                } else if (p.vars().size() >= 2) {
                    vars.add(new Object[] {p.vars().get(0), item[0]});
                    vars.add(new Object[] {p.vars().get(1), item[1]});
                }
                list(r.body(), item[1]);
                truncateVars(mark);
            }
        }

        private interface Body {
            void run() throws TemplateException;
        }

        private void scoped(Body body) throws TemplateException {
            int mark = vars.size();
            body.run();
            truncateVars(mark);
        }

        private void truncateVars(int mark) {
            while (vars.size() > mark) {
                vars.removeLast();
            }
        }

        private Object pipe(Pipe p, Object dot) throws TemplateException {
            Object value = null;
            boolean piped = false;
            for (Cmd c : p.cmds()) {
                value = cmd(c, dot, value, piped, p.source());
                piped = true;
            }
            for (String name : p.vars()) {
                vars.add(new Object[] {name, value});
            }
            return value;
        }

        private Object cmd(Cmd c, Object dot, Object fin, boolean piped, String src) throws TemplateException {
            Arg first = c.args().getFirst();
            List<Arg> rest = c.args().subList(1, c.args().size());
            boolean hasArgs = !rest.isEmpty() || piped;
            switch (first) {
                case Nodes.Function f -> {
                    Fn fn = functions.get(f.name());
                    if (fn == null) {
                        throw new TemplateException("template: :" + TemplateLexer.line(source, f.pos())
                                + ": function \"" + f.name() + "\" not defined");
                    }
                    List<Object> args = args(rest, dot, fin, piped, src);
                    try {
                        return fn.apply(args);
                    } catch (TemplateException | RuntimeException e) {
                        throw execError(f.pos(), src, "error calling " + f.name() + ": " + e.getMessage());
                    }
                }
                case Nodes.Field f when hasArgs && !f.chain().isEmpty() -> {
                    Object receiver = chain(dot, f.chain().subList(0, f.chain().size() - 1), f.pos(), "." + String.join(".", f.chain()));
                    String name = f.chain().getLast();
                    if (receiver instanceof Row r && r.hasMethod(name)) {
                        return r.call(name, args(rest, dot, fin, piped, src));
                    }
                    throw execError(f.pos(), src, name + " is not a method but has arguments");
                }
                default -> {
                    if (hasArgs) {
                        throw execError(first.pos(), src, "can't give argument to non-function " + src);
                    }
                    return arg(first, dot, src);
                }
            }
        }

        private List<Object> args(List<Arg> rest, Object dot, Object fin, boolean piped, String src) throws TemplateException {
            List<Object> args = new ArrayList<>();
            for (Arg a : rest) {
                args.add(arg(a, dot, src));
            }
            if (piped) {
                args.add(fin);
            }
            return args;
        }

        private Object arg(Arg a, Object dot, String src) throws TemplateException {
            return switch (a) {
                case Nodes.Field f -> chain(dot, f.chain(), f.pos(), "." + String.join(".", f.chain()));
                case Nodes.Variable v -> chain(variable(v), v.chain(), v.pos(), v.name() + (v.chain().isEmpty() ? "" : "." + String.join(".", v.chain())));
                case Nodes.Literal l -> l.value();
                case Nodes.Nil n -> null;
                case Nodes.SubPipe s -> chain(pipe(s.pipe(), dot), s.chain(), s.pos(), src);
                case Nodes.Function f -> cmd(new Cmd(f.pos(), List.of(f)), dot, null, false, src);
            };
        }

        private Object variable(Nodes.Variable v) throws TemplateException {
            for (int i = vars.size() - 1; i >= 0; i--) {
                if (vars.get(i)[0].equals(v.name())) {
                    return vars.get(i)[1];
                }
            }
            throw new TemplateException("template: :" + TemplateLexer.line(source, v.pos()) + ": undefined variable \"" + v.name() + "\"");
        }

        private Object chain(Object v, List<String> names, int pos, String src) throws TemplateException {
            String parent = "";
            for (String name : names) {
                v = field(v, parent, name, pos, src);
                parent = name;
            }
            return v;
        }

        /**
         * {@code .name} of {@code v}, which was {@code parent} of the value before. On API JSON, a struct's field is
         * found by its JSON name ("Id", "NanoCpus") and by its Go name ("ID", "NanoCPUs", "APIVersion"), which
         * differ only in case: docker evaluates templates on its typed structs (Go names) and, for inspect, falls
         * back to the raw JSON (JSON names). A Go map's keys (labels, options) match exactly, as in Go.
         */
        private Object field(Object v, String parent, String name, int pos, String src) throws TemplateException {
            if (v instanceof Row r) {
                if (r.hasField(name)) {
                    return r.get(name);
                }
                if (r.hasFallback()) {
                    return r.fallback(name);
                }
                throw execError(pos, src, "can't evaluate field " + name + " in type *" + r.typeName());
            }
            if (v instanceof GoTypes.GoStruct st) {
                if (st.has(name)) {
                    return st.get(name);
                }
                throw execError(pos, src, "can't evaluate field " + name + " in type " + st.type());
            }
            if (v instanceof GoTypes.GoMap gm) {
                // a typed map's missing key is "<no value>" (missingkey=default), whatever the mode
                return gm.containsKey(name) ? gm.get(name) : GoValues.NO_VALUE;
            }
            if (v instanceof Map<?, ?> m) {
                if (m.containsKey(name)) {
                    return m.get(name);
                }
                if (!GoValues.isGoMap(parent) && !name.isEmpty() && Character.isUpperCase(name.charAt(0))) {
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (name.equalsIgnoreCase(String.valueOf(e.getKey()))) {
                            return e.getValue();
                        }
                    }
                }
                if (strict && !GoValues.isGoMap(parent) && looksLikeStruct(m)) {
                    throw execError(pos, src, "map has no entry for key \"" + name + "\"");
                }
                return GoValues.NO_VALUE;
            }
            if (v == null || v == GoValues.NO_VALUE) {
                throw execError(pos, src, "nil pointer evaluating interface {}." + name);
            }
            throw execError(pos, src, "can't evaluate field " + name + " in type " + TemplateFunctions.typeOf(v));
        }

        /** Docker decodes into typed structs first: a missing struct field fails, a missing label key is "<no value>". */
        private static boolean looksLikeStruct(Map<?, ?> m) {
            return m.isEmpty() || m.keySet().stream().allMatch(k -> {
                String s = String.valueOf(k);
                return !s.isEmpty() && Character.isUpperCase(s.charAt(0));
            });
        }

        private TemplateException execError(int pos, String src, String message) {
            int lineStart = source.lastIndexOf('\n', Math.max(0, pos - 1));
            int col = lineStart < 0 ? pos : pos - lineStart - 1;
            return new TemplateException("template: " + name + ":" + TemplateLexer.line(source, pos) + ":" + col
                    + ": executing \"" + name + "\" at <" + src + ">: " + message);
        }
    }
}

package dev.skiff.cli.format;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Go's builtin template functions plus docker's (json, join, split, title, lower, upper, pad, truncate). */
final class TemplateFunctions {
    @FunctionalInterface
    interface Fn {
        Object apply(List<Object> args) throws TemplateException;
    }

    private TemplateFunctions() {
    }

    static Map<String, Fn> standard() {
        Map<String, Fn> f = new HashMap<>();
        f.put("json", a -> GoValues.json(arg(a, 0)));
        f.put("join", a -> join(arg(a, 0), str(arg(a, 1))));
        f.put("split", a -> List.of(str(arg(a, 0)).split(java.util.regex.Pattern.quote(str(arg(a, 1))), -1)));
        f.put("lower", a -> str(arg(a, 0)).toLowerCase(Locale.ROOT));
        f.put("upper", a -> str(arg(a, 0)).toUpperCase(Locale.ROOT));
        f.put("title", a -> title(str(arg(a, 0))));
        f.put("pad", a -> " ".repeat(intArg(a, 1)) + str(arg(a, 0)) + " ".repeat(intArg(a, 2)));
        f.put("truncate", a -> {
            String s = str(arg(a, 0));
            int n = intArg(a, 1);
            return s.codePointCount(0, s.length()) > n ? s.substring(0, s.offsetByCodePoints(0, n)) : s;
        });
        f.put("print", a -> goPrint(a, false));
        f.put("println", a -> goPrint(a, true));
        f.put("printf", a -> GoPrintf.format(str(arg(a, 0)), a.subList(1, a.size())));
        f.put("len", a -> (long) length(arg(a, 0)));
        f.put("index", TemplateFunctions::index);
        f.put("slice", TemplateFunctions::slice);
        f.put("html", a -> html(goPrint(a, false)));
        f.put("urlquery", a -> java.net.URLEncoder.encode(goPrint(a, false), java.nio.charset.StandardCharsets.UTF_8));
        f.put("js", a -> js(goPrint(a, false)));
        f.put("not", a -> !GoValues.truthy(arg(a, 0)));
        f.put("and", a -> {
            for (Object o : a) {
                if (!GoValues.truthy(o)) {
                    return o;
                }
            }
            return a.getLast();
        });
        f.put("or", a -> {
            for (Object o : a) {
                if (GoValues.truthy(o)) {
                    return o;
                }
            }
            return a.getLast();
        });
        f.put("eq", a -> {
            for (Object o : a.subList(1, a.size())) {
                if (GoValues.equal(arg(a, 0), o)) {
                    return true;
                }
            }
            return false;
        });
        f.put("ne", a -> !GoValues.equal(arg(a, 0), arg(a, 1)));
        f.put("lt", a -> GoValues.compare(arg(a, 0), arg(a, 1)) < 0);
        f.put("le", a -> GoValues.compare(arg(a, 0), arg(a, 1)) <= 0);
        f.put("gt", a -> GoValues.compare(arg(a, 0), arg(a, 1)) > 0);
        f.put("ge", a -> GoValues.compare(arg(a, 0), arg(a, 1)) >= 0);
        return f;
    }

    /** docker's HeaderFunctions: while printing a table header, these just pass the header through. */
    static Map<String, Fn> header() {
        Map<String, Fn> f = standard();
        for (String name : List.of("json", "join", "split", "lower", "upper", "title", "pad", "truncate")) {
            f.put(name, a -> str(arg(a, 0)));
        }
        return f;
    }

    static Object arg(List<Object> a, int i) throws TemplateException {
        if (i >= a.size()) {
            throw new TemplateException("wrong number of args: want at least " + (i + 1) + " got " + a.size());
        }
        return a.get(i);
    }

    static String str(Object o) {
        return o instanceof String s ? s : GoValues.print(o);
    }

    private static int intArg(List<Object> a, int i) throws TemplateException {
        if (arg(a, i) instanceof Number n) {
            return n.intValue();
        }
        throw new TemplateException("wrong type for value; expected int; got " + typeOf(arg(a, i)));
    }

    private static String join(Object list, String sep) throws TemplateException {
        if (!(list instanceof Collection<?> c)) {
            throw new TemplateException("wrong type for value; expected []string; got " + typeOf(list));
        }
        List<String> parts = new ArrayList<>();
        c.forEach(e -> parts.add(str(e)));
        return String.join(sep, parts);
    }

    private static String title(String s) {
        StringBuilder b = new StringBuilder(s.length());
        boolean start = true;
        for (char c : s.toCharArray()) {
            b.append(start ? Character.toTitleCase(c) : c);
            start = !Character.isLetterOrDigit(c) && c != '_' && c != '\'';
        }
        return b.toString();
    }

    /** Go's fmt.Sprint(ln): Sprint puts spaces only between operands when neither is a string. */
    private static String goPrint(List<Object> a, boolean ln) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < a.size(); i++) {
            boolean space = ln ? i > 0 : i > 0 && !(a.get(i) instanceof String) && !(a.get(i - 1) instanceof String);
            if (space) {
                b.append(' ');
            }
            b.append(str(a.get(i)));
        }
        return ln ? b.append('\n').toString() : b.toString();
    }

    private static int length(Object o) throws TemplateException {
        if (o instanceof String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
        if (o instanceof Collection<?> c) {
            return c.size();
        }
        if (o instanceof Map<?, ?> m) {
            return m.size();
        }
        throw new TemplateException("len of type " + typeOf(o));
    }

    private static Object index(List<Object> a) throws TemplateException {
        Object cur = arg(a, 0);
        for (Object key : a.subList(1, a.size())) {
            if (cur instanceof GoTypes.GoMap gm) {
                // Go's index of a missing key is the element type's zero value: "" for a label
                cur = gm.containsKey(str(key)) ? gm.get(str(key)) : gm.zero();
            } else if (cur instanceof Map<?, ?> m) {
                cur = m.containsKey(str(key)) ? m.get(str(key)) : GoValues.NO_VALUE;
            } else if (cur instanceof List<?> l && key instanceof Number n) {
                if (n.intValue() < 0 || n.intValue() >= l.size()) {
                    throw new TemplateException("index out of range: " + n);
                }
                cur = l.get(n.intValue());
            } else if (cur == null || cur == GoValues.NO_VALUE) {
                throw new TemplateException("index of untyped nil");
            } else {
                throw new TemplateException("can't index item of type " + typeOf(cur));
            }
        }
        return cur;
    }

    static String typeOf(Object o) {
        if (o == null || o == GoValues.NO_VALUE) {
            return "<nil>";
        }
        if (o instanceof String) {
            return "string";
        }
        if (o instanceof Number) {
            return o instanceof Double ? "float64" : "int";
        }
        if (o instanceof Boolean) {
            return "bool";
        }
        if (o instanceof List) {
            return "[]interface {}";
        }
        if (o instanceof Map) {
            return "map[string]interface {}";
        }
        if (o instanceof Row r) {
            return "*" + r.typeName();
        }
        if (o instanceof GoTypes.GoStruct st) {
            return st.type();
        }
        return o.getClass().getSimpleName();
    }

    /** Go's slice: {@code slice x i j} is x[i:j], of a string (by bytes, as Go) or a list; no index is x itself. */
    private static Object slice(List<Object> a) throws TemplateException {
        Object x = arg(a, 0);
        if (a.size() > 3) {
            throw new TemplateException("too many slice indexes: " + (a.size() - 1));
        }
        int length;
        if (x instanceof String s) {
            length = s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        } else if (x instanceof List<?> l) {
            length = l.size();
        } else {
            throw new TemplateException("can't slice item of type " + (x == null ? "<nil>" : x.getClass().getSimpleName()));
        }
        int from = a.size() > 1 ? intArg(a, 1) : 0;
        int to = a.size() > 2 ? intArg(a, 2) : length;
        if (from < 0 || to < from || to > length) {
            throw new TemplateException("index out of range: " + (to > length ? to : from));
        }
        if (x instanceof String s) {
            byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
        }
        return List.copyOf(((List<?>) x).subList(from, to));
    }

    /** Go's html/template HTMLEscapeString. */
    private static String html(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("&#34;");
                case '\'' -> b.append("&#39;");
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\0' -> b.append('\uFFFD');
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** Go's text/template JSEscapeString. */
    private static String js(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                case '"' -> b.append("\\\"");
                case '<' -> b.append("\\u003C");
                case '>' -> b.append("\\u003E");
                case '&' -> b.append("\\u0026");
                case '=' -> b.append("\\u003D");
                default -> {
                    if (c < ' ') {
                        b.append(String.format("\\u%04X", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}

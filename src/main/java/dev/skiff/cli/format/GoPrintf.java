package dev.skiff.cli.format;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** The subset of Go's fmt.Sprintf verbs templates use: %v %s %q %d %f %e %g %x %t %% with flags and width. */
final class GoPrintf {
    private GoPrintf() {
    }

    static String format(String fmt, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int argi = 0;
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int start = i;
            while (i < fmt.length() && "-+# 0".indexOf(fmt.charAt(i)) >= 0) {
                i++;
            }
            String flags = fmt.substring(start, i);
            int ws = i;
            while (i < fmt.length() && (Character.isDigit(fmt.charAt(i)) || fmt.charAt(i) == '.')) {
                i++;
            }
            String widthPrec = fmt.substring(ws, i);
            if (i >= fmt.length()) {
                out.append("%!(NOVERB)");
                break;
            }
            char verb = fmt.charAt(i++);
            if (verb == '%') {
                out.append('%');
                continue;
            }
            if (argi >= args.size()) {
                out.append("%!").append(verb).append("(MISSING)");
                continue;
            }
            out.append(one(verb, flags, widthPrec, args.get(argi++)));
        }
        if (argi < args.size()) {
            out.append("%!(EXTRA ");
            for (int k = argi; k < args.size(); k++) {
                out.append(k > argi ? ", " : "").append(TemplateFunctions.typeOf(args.get(k))).append('=')
                        .append(TemplateFunctions.str(args.get(k)));
            }
            out.append(')');
        }
        return out.toString();
    }

    private static String one(char verb, String flags, String widthPrec, Object arg) {
        String spec = "%" + flags + widthPrec;
        try {
            return switch (verb) {
                case 'd' -> arg instanceof Number n ? String.format(spec + "d", n.longValue()) : bad(verb, arg);
                case 'f', 'e', 'F' -> arg instanceof Number n ? String.format(spec + Character.toLowerCase(verb), n.doubleValue()) : bad(verb, arg);
                case 'g' -> arg instanceof Number n ? pad(Units.formatG(n.doubleValue(), precision(widthPrec, 6)), flags, widthPrec) : bad(verb, arg);
                case 'x', 'X' -> {
                    String hex = arg instanceof Number n ? Long.toHexString(n.longValue()) : hexOf(TemplateFunctions.str(arg));
                    yield pad(verb == 'X' ? hex.toUpperCase(java.util.Locale.ROOT) : hex, flags, widthPrec);
                }
                case 'q' -> pad(dev.skiff.sys.GoQuote.quote(TemplateFunctions.str(arg)), flags, widthPrec);
                case 't' -> pad(String.valueOf(arg), flags, widthPrec);
                default -> {
                    String s = TemplateFunctions.str(arg);
                    int dot = widthPrec.indexOf('.');
                    if (dot >= 0 && verb == 's') {
                        int p = precision(widthPrec, s.length());
                        s = s.length() > p ? s.substring(0, p) : s;
                    }
                    yield pad(s, flags, widthPrec);
                }
            };
        } catch (java.util.IllegalFormatException e) {
            return bad(verb, arg);
        }
    }

    private static int precision(String widthPrec, int dflt) {
        int dot = widthPrec.indexOf('.');
        return dot < 0 ? dflt : dot + 1 == widthPrec.length() ? 0 : Integer.parseInt(widthPrec.substring(dot + 1));
    }

    private static String pad(String s, String flags, String widthPrec) {
        int dot = widthPrec.indexOf('.');
        String w = dot < 0 ? widthPrec : widthPrec.substring(0, dot);
        if (w.isEmpty()) {
            return s;
        }
        int width = Integer.parseInt(w);
        int n = width - s.codePointCount(0, s.length());
        if (n <= 0) {
            return s;
        }
        return flags.contains("-") ? s + " ".repeat(n) : " ".repeat(n) + s;
    }

    private static String hexOf(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%02x", x));
        }
        return b.toString();
    }


    private static String bad(char verb, Object arg) {
        return "%!" + verb + "(" + TemplateFunctions.typeOf(arg) + "=" + TemplateFunctions.str(arg) + ")";
    }
}

package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.RunMount.Sharing;
import dev.skiff.build.dockerfile.RunMount.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Parses one {@code RUN --mount=} value: comma-separated {@code key=value} fields (CSV quoting allowed),
 * bare boolean keys ({@code ro}, {@code rw}, {@code required}), every key the reference lists for each
 * type and nothing else. Values pass through {@code expand} first; a value still holding a variable
 * (parse time, before substitution) leaves its numeric field null.
 */
final class MountParser {
    private MountParser() {
    }

    static RunMount parse(String spec, UnaryOperator<String> expand) {
        Type type = Type.BIND;
        String target = null, source = null, from = null, id = null, env = null;
        Sharing sharing = Sharing.SHARED;
        Integer mode = null;
        Long uid = null, gid = null, size = null;
        Boolean readOnly = null;
        boolean required = false;
        List<String[]> fields = new ArrayList<>();
        for (String field : csv(spec)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : expand.apply(field.substring(eq + 1));
            if (key.equals("type")) {
                type = switch (value == null ? "" : value.toLowerCase(Locale.ROOT)) {
                    case "bind" -> Type.BIND;
                    case "cache" -> Type.CACHE;
                    case "tmpfs" -> Type.TMPFS;
                    case "secret" -> Type.SECRET;
                    case "ssh" -> Type.SSH;
                    default -> throw new ParseFailure("unsupported mount type \"" + value + "\"");
                };
            } else {
                fields.add(new String[] {key, value});
            }
        }
        for (String[] f : fields) {
            String key = f[0], value = f[1];
            check(type, key);
            switch (key) {
                case "target", "dst", "destination" -> target = need(key, value);
                case "source", "src" -> source = need(key, value);
                case "from" -> from = need(key, value);
                case "id" -> id = need(key, value);
                case "env" -> env = need(key, value);
                case "sharing" -> sharing = switch (need(key, value).toLowerCase(Locale.ROOT)) {
                    case "shared" -> Sharing.SHARED;
                    case "private" -> Sharing.PRIVATE;
                    case "locked" -> Sharing.LOCKED;
                    default -> throw new ParseFailure("unsupported sharing value \"" + value + "\"");
                };
                case "mode" -> mode = unresolved(need(key, value)) ? null : (int) octal(value);
                case "uid" -> uid = unresolved(need(key, value)) ? null : number(key, value);
                case "gid" -> gid = unresolved(need(key, value)) ? null : number(key, value);
                case "size" -> size = unresolved(need(key, value)) ? null : size(value);
                case "ro", "readonly" -> readOnly = value == null || bool(key, value);
                case "rw", "readwrite" -> readOnly = !(value == null || bool(key, value));
                case "required" -> required = value == null || bool(key, value);
                default -> throw new ParseFailure("unexpected key '" + key + "' in '" + spec + "'");
            }
        }
        if (type == Type.SECRET && id == null && target != null) {
            id = target.substring(target.lastIndexOf('/') + 1);
        }
        if (type == Type.SECRET && target == null && env == null && id != null) {
            target = "/run/secrets/" + id;
        }
        if (type == Type.SSH && id == null) {
            id = "default";
        }
        if (type == Type.CACHE && id == null) {
            id = target;
        }
        if (target == null && type != Type.SECRET && type != Type.SSH) {
            throw new ParseFailure("mount " + spec + ": target is required (add target=/path)");
        }
        if (type == Type.SECRET && id == null) {
            throw new ParseFailure("mount " + spec + ": a secret mount needs id= or target=");
        }
        boolean ro = readOnly != null ? readOnly : type == Type.BIND;
        return new RunMount(type, target, source, from, id, sharing, mode, uid, gid, ro, size, required, env, spec);
    }

    /** Which keys each type accepts: exactly the reference's tables. */
    private static void check(Type type, String key) {
        String allowed = switch (type) {
            case BIND -> "target dst destination source src from rw readwrite ro readonly";
            case CACHE -> "id target dst destination ro readonly rw readwrite sharing from source src mode uid gid";
            case TMPFS -> "target dst destination size";
            case SECRET -> "id target dst destination env required mode uid gid";
            case SSH -> "id target dst destination required mode uid gid";
        };
        if (!(" " + allowed + " ").contains(" " + key + " ")) {
            throw new ParseFailure("unexpected key '" + key + "' for mount type " + type.name().toLowerCase(Locale.ROOT));
        }
    }

    private static long size(String value) {
        try {
            return dev.skiff.sys.HumanUnits.ramInBytes(value);
        } catch (IllegalArgumentException e) {
            throw new ParseFailure("invalid tmpfs size " + value + " (e.g. 64m)");
        }
    }

    private static boolean unresolved(String value) {
        return value.contains("$");
    }

    private static String need(String key, String value) {
        if (value == null) {
            throw new ParseFailure("mount option " + key + " needs a value (" + key + "=...)");
        }
        return value;
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new ParseFailure("invalid value for " + key + ": " + value + " (true or false)");
        };
    }

    private static long octal(String value) {
        try {
            long m = Long.parseLong(value, 8);
            if (m < 0 || m > 07777) {
                throw new NumberFormatException();
            }
            return m;
        } catch (NumberFormatException e) {
            throw new ParseFailure("invalid mode " + value + " (give octal permission bits, e.g. 0755)");
        }
    }

    private static long number(String key, String value) {
        try {
            long n = Long.parseLong(value);
            if (n < 0 || n > 0xffffffffL) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ParseFailure("invalid " + key + " " + value + " (give a number)");
        }
    }

    /** Comma-separated fields; a double-quoted field may hold commas (Go's encoding/csv, as BuildKit). */
    static List<String> csv(String spec) {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < spec.length() && spec.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new ParseFailure("unterminated quote in mount " + spec);
        }
        out.add(field.toString());
        return out.stream().filter(s -> !s.isBlank()).toList();
    }
}

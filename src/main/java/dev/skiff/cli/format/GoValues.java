package dev.skiff.cli.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.skiff.sys.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** How Go's fmt and text/template treat values: %v printing, truthiness, comparison, json. */
final class GoValues {
    /** What a missing map key yields outside missingkey=error mode; prints "<no value>". */
    static final Object NO_VALUE = new Object() {
        @Override
        public String toString() {
            return "<no value>";
        }
    };

    private GoValues() {
    }

    static String print(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v == NO_VALUE) {
            return "<no value>";
        }
        if (v instanceof Double d) {
            return printFloat(d);
        }
        if (v instanceof Float f) {
            return printFloat(f.doubleValue());
        }
        if (v instanceof Collection<?> c) {
            List<String> parts = new ArrayList<>();
            c.forEach(e -> parts.add(print(e)));
            return "[" + String.join(" ", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            new TreeMap<>(stringKeys(m)).forEach((k, e) -> parts.add(k + ":" + print(e)));
            return "map[" + String.join(" ", parts) + "]";
        }
        if (v instanceof Row r) {
            return print(r.toJson());
        }
        if (v instanceof GoTypes.GoStruct st) {
            // Go's %v of a struct: its field values in order; a pointer field prints its address in Go, its value here
            List<String> parts = new ArrayList<>();
            st.fields().values().forEach(e -> parts.add(print(e)));
            return "{" + String.join(" ", parts) + "}";
        }
        return v.toString();
    }

    /** strconv.FormatFloat(f, 'g', -1, 64) as %v prints it: shortest, exponent from 1e21. */
    static String printFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return Long.toString((long) d);
        }
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Units.formatG(d, 1);
        }
        BigDecimal b = new BigDecimal(Double.toString(d));
        int exp = b.precision() - b.scale() - 1;
        if (exp < -4 || exp >= 21) {
            return Units.formatG(d, b.precision());
        }
        return b.stripTrailingZeros().toPlainString();
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static boolean truthy(Object v) {
        if (v == null || v == NO_VALUE) {
            return false;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String s) {
            return !s.isEmpty();
        }
        if (v instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return true;
    }

    static String json(Object v) throws TemplateException {
        try {
            String out = Json.MAPPER.writeValueAsString(forJson(v));
            // A formatter context marshals itself with Go's json.Marshal, which escapes <, > and &.
            return v instanceof Row ? out.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") : out;
        } catch (JsonProcessingException e) {
            throw new TemplateException("json: " + e.getOriginalMessage());
        }
    }

    /**
     * Go marshals structs in field order and maps with sorted keys. JSON from the API carries no
     * such distinction, so a map with a capitalized key is taken for a struct (Config, State) and
     * any other (Labels, Attributes, Ports, Networks) is sorted.
     */
    private static Object forJson(Object v) {
        return forJson(v, "");
    }

    /** Fields that are Go maps in the Engine API types, whatever their keys look like. */
    private static final java.util.Set<String> GO_MAPS = java.util.Set.of("Labels", "Details", "Options", "Attributes",
            "DriverOpts", "Annotations", "Networks", "Ports", "ExposedPorts", "Volumes", "Tmpfs", "Sysctls", "StorageOpt",
            "EndpointsConfig", "PortBindings");

    /** Whether the API field {@code key} is a Go map (its keys are data, not field names). */
    static boolean isGoMap(String key) {
        return GO_MAPS.contains(key);
    }

    private static Object forJson(Object v, String key) {
        if (v == NO_VALUE) {
            return null;
        }
        if (v instanceof Row r) {
            // a row's fields may hold rows (system df -v: lists of image, container, volume rows)
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            r.toJson().forEach((k, e) -> out.put(k, forJson(e, k)));
            return out;
        }
        // the typed view marshals what the daemon sent: a nil slice or map is null
        if (v instanceof GoTypes.GoStruct st) {
            // the daemon writes its structs in dockerd's field order, which the docker CLI's re-marshalling keeps
            return forJson(st.raw(), key);
        }
        if (v instanceof GoTypes.GoTime t) {
            return t.raw();
        }
        if (v instanceof GoTypes.GoSlice sl) {
            return sl.raw() == null ? null : forJson(sl.raw(), key);
        }
        if (v instanceof GoTypes.GoMap gm) {
            if (gm.raw() == null) {
                return null;
            }
            Map<String, Object> out = new TreeMap<>();
            gm.raw().forEach((k, e) -> out.put(String.valueOf(k), forJson(e, "")));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            boolean struct = !GO_MAPS.contains(key) && m.keySet().stream().anyMatch(k -> {
                String s = String.valueOf(k);
                return !s.isEmpty() && Character.isUpperCase(s.charAt(0));
            });
            Map<String, Object> out = struct ? new java.util.LinkedHashMap<>() : new TreeMap<>();
            m.forEach((k, e) -> out.put(String.valueOf(k), forJson(e, String.valueOf(k))));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(e -> out.add(forJson(e, "")));
            return out;
        }
        return v;
    }

    static boolean equal(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a == NO_VALUE) {
            a = null;
        }
        if (b == NO_VALUE) {
            b = null;
        }
        return a == null ? b == null : a.equals(b);
    }

    static int compare(Object a, Object b) throws TemplateException {
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new TemplateException("incompatible types for comparison");
    }
}

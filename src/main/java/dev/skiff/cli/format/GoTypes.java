package dev.skiff.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The docker CLI's typed view of an inspected object. `docker inspect -f` runs the template first on the Go
 * struct the object decodes into, and only when that fails on the raw JSON (with missingkey=error). The typed
 * run is what scripts meet: a field the daemon left out is its type's zero value (`{{.Config.Entrypoint}}`
 * prints "[]", `{{.Config.Healthcheck}}` "<nil>"), `{{index .Config.Labels "x"}}` of a missing label is "",
 * and `{{.State}}` prints as a struct. The types come from the Engine API's swagger (go-types.json, made by
 * GoTypesGenerator in the tests).
 */
public final class GoTypes {
    private record Field(String go, String json, String type) {
    }

    private static final class Schema {
        static final Map<String, String> ROOTS = new TreeMap<>();
        static final Map<String, List<Field>> TYPES = new TreeMap<>();

        static {
            try (InputStream in = GoTypes.class.getResourceAsStream("go-types.json")) {
                JsonNode root = Json.MAPPER.readTree(in);
                root.get("roots").properties().forEach(e -> ROOTS.put(e.getKey(), e.getValue().asText()));
                root.get("types").properties().forEach(e -> {
                    List<Field> fields = new ArrayList<>();
                    e.getValue().forEach(f -> fields.add(new Field(f.get(0).asText(), f.get(1).asText(), f.get(2).asText())));
                    TYPES.put(e.getKey(), fields);
                });
            } catch (IOException e) {
                throw new UncheckedIOException("the CLI's go-types.json resource cannot be read", e);
            }
        }
    }

    private GoTypes() {
    }

    /**
     * The typed view of {@code raw} (Jackson's Map/List/scalars) as an object of {@code kind} (container, image,
     * network, volume), or null when the kind has no known type: then only the raw run applies.
     */
    public static Object typed(Object raw, String kind) {
        String k = kind == null || kind.equals("object") ? kindOf(raw) : kind;
        String root = k == null ? null : Schema.ROOTS.get(k);
        return root == null || !(raw instanceof Map<?, ?>) ? null : convert(raw, "S:" + root);
    }

    /**
     * A Go struct of the given type whose fields (Go name -> JSON name, in declaration order) take their values from
     * {@code values} by JSON name (missing ones null); {{json}} of it writes {@code raw}, the JSON it stands for.
     */
    public static Object struct(String goType, Map<String, String> goToJson, Map<?, ?> values, Map<?, ?> raw) {
        Map<String, Object> fields = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        // reached by Go name only: with no raw run after it (events), `{{.status}}` fails as in Go
        goToJson.forEach((go, json) -> {
            fields.put(go, values.get(json));
            names.put(go, go);
        });
        return new GoStruct(goType, fields, names, raw);
    }

    /** A Go struct of the given type with these fields in this order (a value the CLI makes itself, as docker's). */
    public static Object struct(String goType, Map<String, Object> fields) {
        Map<String, String> sameNames = new LinkedHashMap<>();
        fields.keySet().forEach(k -> sameNames.put(k, k));
        return struct(goType, sameNames, fields, fields);
    }

    /**
     * The typed view of {@code raw} as an object of {@code kind} whose Go type, as errors name it, is {@code goType}
     * ("system.dockerInfo" for `docker info`), for commands whose template runs on the typed object alone.
     */
    public static Object typed(Object raw, String kind, String goType) {
        Object typed = typed(raw, kind);
        return typed instanceof GoStruct st ? new GoStruct(goType, st.fields(), st.goNames(), st.raw()) : typed;
    }

    /** What `docker inspect` without --type found, told by the fields only that kind has. */
    private static String kindOf(Object raw) {
        if (!(raw instanceof Map<?, ?> m)) {
            return null;
        }
        if (m.containsKey("State") && m.containsKey("HostConfig")) {
            return "container";
        }
        if (m.containsKey("RootFS") || m.containsKey("RepoTags")) {
            return "image";
        }
        if (m.containsKey("IPAM")) {
            return "network";
        }
        return m.containsKey("Mountpoint") ? "volume" : null;
    }

    private static Object convert(Object raw, String type) {
        if (type.startsWith("S:")) {
            if (!(raw instanceof Map<?, ?> m)) {
                return raw == null ? null : raw;
            }
            Map<String, Object> values = new LinkedHashMap<>();
            Map<String, String> goNames = new LinkedHashMap<>();
            for (Field f : goOrder(Schema.TYPES.getOrDefault(type.substring(2), List.of()), m)) {
                values.put(f.go(), convert(m.get(f.json()), f.type()));
                goNames.put(f.json(), f.go());
            }
            // what the schema does not know stays as sent (the CLI's own additions, fields newer than the swagger)
            m.forEach((key, v) -> {
                if (!goNames.containsKey(String.valueOf(key))) {
                    values.put(String.valueOf(key), v);
                }
            });
            return new GoStruct("*types." + type.substring(2), values, goNames, m);
        }
        if (type.startsWith("[]")) {
            if (raw == null) {
                return GoSlice.NIL;
            }
            if (!(raw instanceof List<?> l)) {
                return raw;
            }
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(e -> out.add(convert(e, type.substring(2))));
            return new GoSlice(out, l);
        }
        if (type.startsWith("map[]")) {
            String elem = type.substring(5);
            if (raw == null) {
                return new GoMap(elem, null);
            }
            if (!(raw instanceof Map<?, ?> m)) {
                return raw;
            }
            GoMap out = new GoMap(elem, m);
            m.forEach((k, v) -> out.put(String.valueOf(k), convert(v, elem)));
            return out;
        }
        if (type.equals("time") && raw instanceof String t) {
            return GoTime.parse(t);
        }
        return raw == null ? zero(type) : raw;
    }

    /**
     * The struct's fields in Go's declaration order, as far as it is known: the daemon writes its JSON in dockerd's
     * order (which the swagger does not always keep: HostConfig embeds Resources among its own fields), so the
     * fields it sent come in its order, and each one it left out follows the field the swagger puts before it.
     */
    private static List<Field> goOrder(List<Field> schema, Map<?, ?> raw) {
        List<Field> out = new ArrayList<>();
        for (Object key : raw.keySet()) {
            schema.stream().filter(f -> f.json().equals(key)).findFirst().ifPresent(out::add);
        }
        Field previous = null;
        for (Field f : schema) {
            if (!raw.containsKey(f.json())) {
                out.add(previous == null ? 0 : out.indexOf(previous) + 1, f);
            }
            previous = f;
        }
        return out;
    }

    /** Go's zero value of a type: what a missing field or map key reads as. */
    static Object zero(String type) {
        return switch (type) {
            case "string" -> "";
            case "int" -> 0L;
            case "float" -> 0.0;
            case "bool" -> false;
            default -> {
                if (type.startsWith("[]")) {
                    yield GoSlice.NIL;
                }
                if (type.startsWith("map[]")) {
                    yield new GoMap(type.substring(5), null);
                }
                if (type.equals("time")) {
                    yield GoTime.parse("0001-01-01T00:00:00Z");
                }
                // a pointer (*int, a struct) is nil
                yield type.equals("S:") ? new GoStruct("", Map.of(), Map.of(), Map.of()) : null;
            }
        };
    }

    /** A Go struct: fields in declaration order by Go name, with the JSON it came from for {{json}}. */
    record GoStruct(String type, Map<String, Object> fields, Map<String, String> goNames, Map<?, ?> raw) {
        boolean has(String name) {
            return fields.containsKey(name) || goNames.containsKey(name);
        }

        /** A field by its Go name ("ID") or its JSON name ("Id"). */
        Object get(String name) {
            return fields.containsKey(name) ? fields.get(name) : fields.get(goNames.get(name));
        }
    }

    /** Go's Time.String() of an RFC 3339 time, or the text itself when it is not one. */
    public static String timeString(String rfc3339) {
        return GoTime.parse(rfc3339).toString();
    }

    /** A time.Time: prints as Go's Time.String(), marshals to the RFC 3339 text it came from. */
    record GoTime(String raw, java.time.OffsetDateTime at) {
        static Object parse(String raw) {
            try {
                return new GoTime(raw, java.time.OffsetDateTime.parse(raw));
            } catch (java.time.format.DateTimeParseException e) {
                return raw;
            }
        }

        @Override
        public String toString() {
            String nanos = at.getNano() == 0 ? "" : ("." + String.format("%09d", at.getNano())).replaceAll("0+$", "");
            String offset = at.getOffset().getId().equals("Z") ? "+0000" : at.getOffset().getId().replace(":", "");
            String zone = at.getOffset().getTotalSeconds() == 0 ? "UTC" : offset;
            return at.toLocalDate() + " " + at.toLocalTime().withNano(0).format(java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss"))
                    + nanos + " " + offset + " " + zone;
        }
    }

    /** A Go slice; NIL prints "[]" but marshals to null. */
    static final class GoSlice extends java.util.AbstractList<Object> {
        static final GoSlice NIL = new GoSlice(List.of(), null);
        private final List<Object> items;
        private final List<?> raw;

        GoSlice(List<Object> items, List<?> raw) {
            this.items = Collections.unmodifiableList(items);
            this.raw = raw;
        }

        @Override
        public Object get(int index) {
            return items.get(index);
        }

        @Override
        public int size() {
            return items.size();
        }

        List<?> raw() {
            return raw;
        }
    }

    /** A Go map with string keys: a missing key's index is the element type's zero; a nil map marshals to null. */
    static final class GoMap extends TreeMap<String, Object> {
        private final String elem;
        private final transient Map<?, ?> raw;

        GoMap(String elem, Map<?, ?> raw) {
            this.elem = elem;
            this.raw = raw;
        }

        Object zero() {
            return GoTypes.zero(elem);
        }

        Map<?, ?> raw() {
            return raw;
        }

        @Override
        public boolean equals(Object o) {
            return super.equals(o);
        }

        @Override
        public int hashCode() {
            return super.hashCode();
        }
    }
}

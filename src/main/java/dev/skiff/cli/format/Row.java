package dev.skiff.cli.format;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One line of a listing as a template sees it, like docker's formatter contexts (ContainerContext,
 * ImageContext): named fields computed on demand, a few methods with arguments ({{.Label "k"}}),
 * and a column header per field for table output. {{json .}} marshals every field, keys sorted.
 */
public final class Row {
    private final String typeName;
    private final Map<String, Supplier<Object>> fields = new LinkedHashMap<>();
    private boolean fieldOrder;
    private final Map<String, Function<List<Object>, Object>> methods = new LinkedHashMap<>();
    private Function<String, Object> fallback;

    /** typeName (Go package and type) appears in errors: "can't evaluate field X in type *formatter.ContainerContext". */
    public Row(String typeName) {
        this.typeName = typeName;
    }

    public Row field(String name, Supplier<Object> value) {
        fields.put(name, value);
        return this;
    }

    public Row method(String name, Function<List<Object>, Object> body) {
        methods.put(name, body);
        return this;
    }

    /** What fields not declared read as (table headers: docker's header map yields "" for them). */
    public Row fallback(Function<String, Object> value) {
        this.fallback = value;
        return this;
    }

    boolean hasFallback() {
        return fallback != null;
    }

    Object fallback(String name) {
        return fallback.apply(name);
    }

    boolean hasField(String name) {
        return fields.containsKey(name);
    }

    Object get(String name) {
        return fields.get(name).get();
    }

    boolean hasMethod(String name) {
        return methods.containsKey(name);
    }

    Object call(String name, List<Object> args) {
        return methods.get(name).apply(args);
    }

    String typeName() {
        return typeName;
    }

    /** What {{json .}} prints. */
    /** A plain Go struct rather than a formatter context: {{json}} keeps the fields' order instead of sorting. */
    public Row inFieldOrder() {
        this.fieldOrder = true;
        return this;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> out = fieldOrder ? new LinkedHashMap<>() : new TreeMap<>();
        fields.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}

package dev.skiff.cli.client;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Writes the request bodies the CLI builds (maps, lists, strings, numbers, booleans, nulls, JSON trees) with
 * Jackson's streaming generator alone. Jackson's databind would first introspect LinkedHashMap, ArrayList and
 * friends as beans, ~50 ms of a command's life on a fresh JVM (skiff run spent it before its create request);
 * anything else is still handed to it.
 */
final class PlainJson {
    private PlainJson() {
    }

    static byte[] bytes(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            write(g, value);
        }
        return out.toByteArray();
    }

    // An instanceof chain, not a pattern switch: a switch on types is bootstrapped at its first run by
    // generating a class (~20 ms of a fresh CLI's life), which is what this class is here to save.
    private static void write(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof JsonNode node) { // before Iterable: a JsonNode is one
            Json.MAPPER.writeTree(g, node);
        } else if (v instanceof Map<?, ?> m) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof Iterable<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof Object[] items) {
            g.writeStartArray();
            for (Object item : items) {
                write(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof int[] items) {
            g.writeStartArray();
            for (int item : items) {
                g.writeNumber(item);
            }
            g.writeEndArray();
        } else {
            Json.MAPPER.writeValue(g, v);
        }
    }
}

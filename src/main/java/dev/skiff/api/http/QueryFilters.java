package dev.skiff.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses Docker's {@code filters} query parameter: a JSON object mapping a filter name to its values,
 * either as {"label": {"a=b": true}} (current clients) or {"label": ["a=b"]} (clients before API 1.22).
 */
public final class QueryFilters {
    private QueryFilters() {
    }

    public static Map<String, List<String>> parse(String json) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw invalid(json);
        }
        if (root == null || root.isNull()) {
            return out;
        }
        if (!root.isObject()) {
            throw invalid(json);
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isObject()) {
                v.fields().forEachRemaining(f -> {
                    if (f.getValue().asBoolean(true)) {
                        values.add(f.getKey());
                    }
                });
            } else if (v.isArray()) {
                v.forEach(x -> values.add(x.asText()));
            } else {
                throw invalid(json);
            }
            out.put(e.getKey(), List.copyOf(values));
        }
        return out;
    }

    private static InvalidArgumentException invalid(String json) {
        return new InvalidArgumentException("invalid filters " + json
                + " (expected a JSON object such as {\"label\":{\"key=value\":true}})");
    }
}

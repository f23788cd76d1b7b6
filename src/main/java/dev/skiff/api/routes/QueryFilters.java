package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's "filters" query parameter: JSON {"key":["v1","v2"]}, or the older {"key":{"v1":true}} form that
 * some clients still send.
 */
final class QueryFilters {
    private QueryFilters() {
    }

    static Map<String, List<String>> parse(HttpRequest request) {
        return parse(request.query("filters").orElse(""));
    }

    static Map<String, List<String>> parse(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new InvalidArgumentException("invalid filters " + text + ": expected JSON like {\"label\":[\"a=b\"]}");
        }
        if (root == null || !root.isObject()) {
            throw new InvalidArgumentException("invalid filters " + text + ": expected a JSON object");
        }
        root.properties().forEach(e -> {
            List<String> values = new ArrayList<>();
            JsonNode v = e.getValue();
            if (v.isArray()) {
                v.forEach(x -> values.add(x.asText()));
            } else if (v.isObject()) {
                v.properties().forEach(x -> {
                    if (x.getValue().asBoolean(true)) {
                        values.add(x.getKey());
                    }
                });
            } else {
                values.add(v.asText());
            }
            out.put(e.getKey(), values);
        });
        return out;
    }
}

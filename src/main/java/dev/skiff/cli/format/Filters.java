package dev.skiff.cli.format;

import dev.skiff.sys.Json;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** --filter key=value flags as the API's filters query parameter: {"key":{"value":true}}. */
public final class Filters {
    private Filters() {
    }

    /** Parses filters; throws IllegalArgumentException with docker's message on a missing '='. */
    public static Map<String, Map<String, Boolean>> parse(List<String> flags) {
        // Go marshals these maps with sorted keys; docker's query strings are sorted the same way.
        Map<String, Map<String, Boolean>> out = new TreeMap<>();
        for (String flag : flags == null ? List.<String>of() : flags) {
            int eq = flag.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("bad format of filter (expected name=value)");
            }
            String key = flag.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = flag.substring(eq + 1).strip();
            out.computeIfAbsent(key, k -> new TreeMap<>()).put(value, true);
        }
        return out;
    }

    /** The JSON text for the filters query parameter, or null when there are none. */
    public static String toJson(List<String> flags) {
        Map<String, Map<String, Boolean>> parsed = parse(flags);
        if (parsed.isEmpty()) {
            return null;
        }
        try {
            return Json.MAPPER.writeValueAsString(parsed);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

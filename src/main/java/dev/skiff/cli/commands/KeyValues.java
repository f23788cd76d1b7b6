package dev.skiff.cli.commands;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker's list/map flags (--label k=v, -o k=v): "k" alone maps to "". */
public final class KeyValues {
    private KeyValues() {
    }

    public static Map<String, String> parse(List<String> entries) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String e : entries) {
            String[] kv = e.split("=", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return out;
    }

    /** "a=1,b=2" with keys sorted, as docker's Labels columns show them. */
    public static String joined(com.fasterxml.jackson.databind.JsonNode labels) {
        java.util.TreeMap<String, String> sorted = new java.util.TreeMap<>();
        labels.fields().forEachRemaining(f -> sorted.put(f.getKey(), f.getValue().asText()));
        List<String> parts = new java.util.ArrayList<>();
        sorted.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(",", parts);
    }
}

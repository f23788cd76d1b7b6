package dev.skiff.cli.commands;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds "path?k=v&..." like Go's url.Values.Encode, which the docker CLI uses: parameters sorted
 * by name (repeats keep their order), values form-encoded; null and false parameters are left out.
 */
public final class Query {
    private final String path;
    private final List<String[]> params = new ArrayList<>();

    private Query(String path) {
        this.path = path;
    }

    /** @param pathFormat a path where %s are replaced by URL-encoded segments */
    public static Query path(String pathFormat, String... segments) {
        Object[] enc = new Object[segments.length];
        for (int i = 0; i < segments.length; i++) {
            enc[i] = encode(segments[i]);
        }
        return new Query(String.format(pathFormat, enc));
    }

    public Query param(String name, Object value) {
        if (value == null || Boolean.FALSE.equals(value)) {
            return this;
        }
        String v = Boolean.TRUE.equals(value) ? "1" : value.toString();
        params.add(new String[] {name, v});
        return this;
    }

    /** Adds the parameter once per value (docker's repeated "changes=" and similar). */
    public Query params(String name, List<String> values) {
        for (String v : values == null ? List.<String>of() : values) {
            param(name, v);
        }
        return this;
    }

    public String build() {
        if (params.isEmpty()) {
            return path;
        }
        List<String> parts = new ArrayList<>();
        params.stream().sorted(java.util.Comparator.comparing(p -> p[0]))
                .forEach(p -> parts.add(formEncode(p[0]) + "=" + formEncode(p[1])));
        return path + "?" + String.join("&", parts);
    }

    private static String formEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return build();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

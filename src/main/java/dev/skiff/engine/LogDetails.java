package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What {@code docker logs --details} puts before each line: the attributes the container's log options ask for
 * ({@code --log-opt labels=, labels-regex=, env=, env-regex=, tag=}), as dockerd's json-file logger records them
 * with every entry: {@code KEY=VALUE} pairs sorted by key and joined by commas, then a space (a lone space when
 * there are none). They depend on the container's config alone, so they are worked out when the log is read
 * instead of being stored on every line.
 */
public final class LogDetails {
    private LogDetails() {
    }

    /** The prefix for every line of {@code c}'s log. */
    public static byte[] prefix(Container c) {
        Map<String, String> attrs = attributes(c);
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> a : attrs.entrySet()) {
            if (!s.isEmpty()) {
                s.append(',');
            }
            s.append(a.getKey()).append('=').append(a.getValue());
        }
        return s.append(' ').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The attributes, sorted by key (dockerd's ExtraAttributes plus the tag). */
    static Map<String, String> attributes(Container c) {
        JsonNode opts = c.hostConfig().path("LogConfig").path("Config");
        Map<String, String> labels = c.labels();
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode e : c.config().path("Env")) {
            String entry = e.asText();
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.put(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        Map<String, String> out = new TreeMap<>();
        pick(out, labels, opts.path("labels").asText(""));
        match(out, labels, opts.path("labels-regex").asText(""));
        pick(out, env, opts.path("env").asText(""));
        match(out, env, opts.path("env-regex").asText(""));
        String tag = opts.path("tag").asText("");
        if (!tag.isEmpty()) {
            out.put("tag", tag(tag, c));
        }
        return out;
    }

    private static void pick(Map<String, String> out, Map<String, String> from, String names) {
        if (names.isEmpty()) {
            return;
        }
        for (String name : names.split(",")) {
            String v = from.get(name);
            if (v != null) {
                out.put(name, v);
            }
        }
    }

    private static void match(Map<String, String> out, Map<String, String> from, String regex) {
        if (regex.isEmpty()) {
            return;
        }
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return; // dockerd refuses to start such a container; one made before the check shows no attributes
        }
        from.forEach((k, v) -> {
            if (p.matcher(k).find()) {
                out.put(k, v);
            }
        });
    }

    /** The tag option's template fields, as dockerd's log tags know them. */
    static String tag(String template, Container c) {
        String imageHex = c.imageId().startsWith("sha256:") ? c.imageId().substring(7) : c.imageId();
        return template.replace("{{.ID}}", c.id().substring(0, Math.min(12, c.id().length())))
                .replace("{{.FullID}}", c.id())
                .replace("{{.Name}}", c.shortName())
                .replace("{{.ImageID}}", imageHex.substring(0, Math.min(12, imageHex.length())))
                .replace("{{.ImageFullID}}", c.imageId())
                .replace("{{.ImageName}}", c.imageName() == null ? "" : c.imageName())
                .replace("{{.DaemonName}}", "docker");
    }
}

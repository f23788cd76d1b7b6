package dev.skiff.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Writes go-types.json, the Go types the docker CLI decodes each inspected object into before it runs an
 * inspect template, from the Engine API's swagger (../shared/specs/docker-engine-api-v1.50.yaml): per
 * struct its fields in order, each as [Go name, JSON name, type]. Types: string, int, float, bool, any,
 * *int, *bool (pointers), time (time.Time), []T (slice), map[]T (map with string keys), S:Name (struct). GoTypesResourceTest checks the committed
 * file against the swagger; {@code -Dregenerate=true} on that test rewrites it.
 */
final class GoTypesGenerator {
    static final Map<String, String> ROOTS = Map.of("container", "ContainerInspectResponse", "image", "ImageInspect",
            "network", "Network", "volume", "Volume", "info", "SystemInfo");

    /**
     * Where the docker CLI's Go types differ from the swagger: fields in another order (Go prints a struct in
     * declaration order), pointers to scalars (a missing one prints "<nil>", not the zero), and time.Time fields
     * (printed "2006-01-02 15:04:05.999999999 -0700 MST"). From the types in github.com/docker/docker/api/types.
     */
    private static final Map<String, java.util.List<String>> GO_ORDER = Map.of(
            "DriverData", java.util.List.of("Data", "Name"),
            "IPAM", java.util.List.of("Driver", "Options", "Config"));
    private static final Map<String, String> GO_TYPE = Map.of(
            "ContainerConfig.StopTimeout", "*int",
            "HostConfig.PidsLimit", "*int",
            "HostConfig.OomKillDisable", "*bool",
            "HostConfig.MemorySwappiness", "*int",
            "HostConfig.Init", "*bool",
            "ContainerInspectResponse.SizeRw", "*int",
            "ContainerInspectResponse.SizeRootFs", "*int",
            "ImageInspect.Metadata.LastTagTime", "time",
            "Network.Created", "time");

    private final JsonNode definitions;
    private final ObjectNode types = JsonNodeFactory.instance.objectNode();
    private final Deque<String> pending = new ArrayDeque<>();
    private final Set<String> seen = new LinkedHashSet<>();

    private GoTypesGenerator(JsonNode swagger) {
        this.definitions = swagger.get("definitions");
    }

    static String generate(Path swagger) throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(swagger.toFile());
        GoTypesGenerator g = new GoTypesGenerator(root);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        ObjectNode roots = out.putObject("roots");
        new java.util.TreeMap<>(ROOTS).forEach((kind, def) -> {
            roots.put(kind, def);
            g.want(def);
        });
        while (!g.pending.isEmpty()) {
            String name = g.pending.pop();
            g.types.set(name, g.fields(name, g.definitions.get(name)));
        }
        ObjectNode sorted = out.putObject("types");
        new java.util.TreeMap<String, JsonNode>(toMap(g.types)).forEach(sorted::set);
        return new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(out) + "\n";
    }

    private static Map<String, JsonNode> toMap(ObjectNode o) {
        Map<String, JsonNode> m = new java.util.LinkedHashMap<>();
        o.properties().forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private void want(String name) {
        if (seen.add(name)) {
            pending.push(name);
        }
    }

    /** A struct's fields: its own properties, or those of each allOf part in turn (HostConfig = Resources + ...). */
    private ArrayNode fields(String name, JsonNode schema) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        addFields(name, schema, out);
        java.util.List<String> order = GO_ORDER.get(name);
        if (order == null) {
            return out;
        }
        ArrayNode sorted = JsonNodeFactory.instance.arrayNode();
        order.forEach(go -> out.forEach(f -> {
            if (f.get(0).asText().equals(go)) {
                sorted.add(f);
            }
        }));
        return sorted;
    }

    private void addFields(String name, JsonNode schema, ArrayNode out) {
        if (schema.has("$ref")) {
            addFields(name, definitions.get(refName(schema)), out);
            return;
        }
        if (schema.has("allOf")) {
            schema.get("allOf").forEach(part -> addFields(name, part, out));
            return;
        }
        JsonNode props = schema.get("properties");
        if (props == null) {
            return;
        }
        props.properties().forEach(e -> {
            JsonNode p = e.getValue();
            String go = p.has("x-go-name") ? p.get("x-go-name").asText() : e.getKey();
            String where = name + "." + e.getKey();
            out.addArray().add(go).add(e.getKey()).add(GO_TYPE.getOrDefault(where, type(where, p)));
        });
    }

    private String type(String where, JsonNode p) {
        if (p.has("$ref")) {
            String ref = refName(p);
            JsonNode def = definitions.get(ref);
            if (isStruct(def)) {
                want(ref);
                return "S:" + ref;
            }
            return type(ref, def);
        }
        if (p.has("allOf")) {
            JsonNode parts = p.get("allOf");
            if (parts.size() == 1) {
                return type(where, parts.get(0));
            }
            types.set(where, fields(where, p));
            return "S:" + where;
        }
        String t = p.path("type").asText("");
        return switch (t) {
            case "string" -> "string";
            case "integer" -> "int";
            case "number" -> "float";
            case "boolean" -> "bool";
            case "array" -> "[]" + (p.has("items") ? type(where, p.get("items")) : "any");
            case "object" -> {
                if (p.has("properties")) {
                    types.set(where, fields(where, p));
                    yield "S:" + where;
                }
                JsonNode ap = p.get("additionalProperties");
                if (ap != null && ap.isObject()) {
                    yield "map[]" + (ap.isEmpty() ? "any" : type(where + "[]", ap));
                }
                yield ap != null ? "map[]any" : "S:";
            }
            default -> "any";
        };
    }

    private boolean isStruct(JsonNode def) {
        return def.has("properties") || def.has("allOf") && !def.has("type") || def.has("allOf")
                && "object".equals(def.path("type").asText());
    }

    private static String refName(JsonNode p) {
        String ref = p.get("$ref").asText();
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[1]), generate(Path.of(args[0])));
    }
}

package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.commands.Names;
import dev.skiff.cli.format.Row;
import dev.skiff.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** docker's ContainerContext: how one /containers/json entry reads in ps (ID, COMMAND, CREATED, PORTS, ...). */
public final class ContainerRows {
    public static final String DEFAULT_TABLE =
            "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    public static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"), Map.entry("Command", "COMMAND"),
            Map.entry("CreatedAt", "CREATED AT"), Map.entry("RunningFor", "CREATED"), Map.entry("Ports", "PORTS"),
            Map.entry("State", "STATE"), Map.entry("Status", "STATUS"), Map.entry("Size", "SIZE"),
            Map.entry("Names", "NAMES"), Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"),
            Map.entry("LocalVolumes", "LOCAL VOLUMES"), Map.entry("Networks", "NETWORKS"), Map.entry("Platform", "PLATFORM"));
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private ContainerRows() {
    }

    public static Row row(JsonNode c, boolean trunc, Instant now) {
        return new Row("formatter.ContainerContext")
                .field("ID", () -> trunc ? Names.shortId(c.path("Id").asText()) : c.path("Id").asText())
                .field("Image", () -> image(c, trunc))
                .field("Command", () -> command(c.path("Command").asText(), trunc))
                .field("CreatedAt", () -> goTime(c.path("Created").asLong()))
                .field("RunningFor", () -> Units.humanDuration(Duration.between(Instant.ofEpochSecond(c.path("Created").asLong()), now)) + " ago")
                .field("Ports", () -> ports(c.path("Ports")))
                .field("State", () -> c.path("State").asText())
                .field("Status", () -> status(c))
                .field("Size", () -> size(c))
                .field("Names", () -> names(c.path("Names"), trunc))
                .field("Labels", () -> labels(c.path("Labels")))
                .field("Mounts", () -> mounts(c.path("Mounts"), trunc))
                .field("LocalVolumes", () -> localVolumes(c.path("Mounts")))
                .field("Networks", () -> String.join(",", keys(c.path("NetworkSettings").path("Networks"))))
                .field("Platform", () -> platform(c.path("ImageManifestDescriptor").path("platform")))
                .method("Label", args -> c.path("Labels").path(String.valueOf(args.getFirst())).asText(""));
    }

    private static Object platform(JsonNode p) {
        return p.isObject() ? dev.skiff.sys.Json.MAPPER.convertValue(p, Object.class) : null;
    }

    /** strconv.Quote of the command, cut to 20 characters with "…" unless --no-trunc. */
    public static String command(String command, boolean trunc) {
        String s = command;
        if (trunc && s.codePointCount(0, s.length()) > 20) {
            s = s.substring(0, s.offsetByCodePoints(0, 19)) + "…";
        }
        return dev.skiff.sys.GoQuote.quote(s);
    }

    static String goTime(long epochSeconds) {
        return GO_TIME.format(Instant.ofEpochSecond(epochSeconds).atZone(ZoneId.systemDefault()));
    }

    private static String image(JsonNode c, boolean trunc) {
        String image = c.path("Image").asText("");
        if (image.isEmpty()) {
            return "<no image>";
        }
        if (trunc) {
            String id = Names.shortId(c.path("ImageID").asText(""));
            if (!id.isEmpty() && id.equals(Names.shortId(image))) {
                return id;
            }
            return Names.familiar(Names.withoutDigest(image));
        }
        return image;
    }

    private static String status(JsonNode c) {
        String status = c.path("Status").asText("");
        if (!status.isEmpty()) {
            return status;
        }
        String state = c.path("State").asText("");
        return state.isEmpty() ? "" : Character.toUpperCase(state.charAt(0)) + state.substring(1);
    }

    private static String size(JsonNode c) {
        String rw = Units.humanSize(c.path("SizeRw").asDouble(), 3);
        if (c.path("SizeRootFs").asLong() > 0) {
            return rw + " (virtual " + Units.humanSize(c.path("SizeRootFs").asDouble(), 3) + ")";
        }
        return rw;
    }

    static String names(JsonNode names, boolean trunc) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : names) {
            String s = n.asText();
            out.add(s.startsWith("/") ? s.substring(1) : s);
        }
        if (trunc) {
            for (String n : out) {
                if (!n.contains("/")) {
                    return n;
                }
            }
        }
        return String.join(",", out);
    }

    private static String labels(JsonNode labels) {
        List<String> out = new ArrayList<>();
        new TreeMap<>(toMap(labels)).forEach((k, v) -> out.add(k + "=" + v));
        return String.join(",", out);
    }

    private static String mounts(JsonNode mounts, boolean trunc) {
        List<String> out = new ArrayList<>();
        for (JsonNode m : mounts) {
            String name = m.path("Name").asText("");
            if (name.isEmpty()) {
                name = m.path("Source").asText("");
            }
            if (trunc && name.length() > 15) {
                name = name.substring(0, 14) + "…";
            }
            out.add(name);
        }
        return String.join(",", out);
    }

    private static String localVolumes(JsonNode mounts) {
        int n = 0;
        for (JsonNode m : mounts) {
            if ("local".equals(m.path("Driver").asText())) {
                n++;
            }
        }
        return Integer.toString(n);
    }

    private static List<String> keys(JsonNode obj) {
        List<String> out = new ArrayList<>();
        obj.fieldNames().forEachRemaining(out::add);
        out.sort(null);
        return out;
    }

    private static Map<String, String> toMap(JsonNode obj) {
        Map<String, String> out = new TreeMap<>();
        obj.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** docker's DisplayablePorts: "0.0.0.0:8080->80/tcp, 443/tcp", consecutive ports as ranges. */
    public static String ports(JsonNode ports) {
        List<JsonNode> sorted = new ArrayList<>();
        ports.forEach(sorted::add);
        sorted.sort((a, b) -> {
            int c = Integer.compare(a.path("PrivatePort").asInt(), b.path("PrivatePort").asInt());
            if (c == 0) {
                c = a.path("IP").asText("").compareTo(b.path("IP").asText(""));
            }
            if (c == 0) {
                c = Integer.compare(a.path("PublicPort").asInt(), b.path("PublicPort").asInt());
            }
            return c != 0 ? c : a.path("Type").asText("").compareTo(b.path("Type").asText(""));
        });
        Map<String, int[]> groups = new java.util.LinkedHashMap<>();
        List<String> result = new ArrayList<>();
        List<String> hostMappings = new ArrayList<>();
        for (JsonNode p : sorted) {
            int current = p.path("PrivatePort").asInt();
            String ip = p.path("IP").asText("");
            String type = p.path("Type").asText("");
            String key = type;
            if (!ip.isEmpty()) {
                int pub = p.path("PublicPort").asInt();
                if (pub != current) {
                    hostMappings.add(hostPort(ip, Integer.toString(pub)) + "->" + current + "/" + type);
                    continue;
                }
                key = ip + "/" + type;
            }
            int[] g = groups.get(key);
            if (g == null) {
                groups.put(key, new int[] {current, current});
            } else if (current == g[1] + 1) {
                g[1] = current;
            } else {
                result.add(group(key, g[0], g[1]));
                groups.put(key, new int[] {current, current});
            }
        }
        groups.forEach((k, g) -> result.add(group(k, g[0], g[1])));
        result.addAll(hostMappings);
        return String.join(", ", result);
    }

    private static String group(String key, int first, int last) {
        int slash = key.lastIndexOf('/');
        String ip = slash >= 0 ? key.substring(0, slash) : "";
        String type = slash >= 0 ? key.substring(slash + 1) : key;
        String g = first == last ? Integer.toString(first) : first + "-" + last;
        if (!ip.isEmpty()) {
            g = hostPort(ip, "") + g + "->" + g;
        }
        return g + "/" + type;
    }

    private static String hostPort(String ip, String port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }
}

package dev.skiff.cli.commands.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.commands.Names;
import dev.skiff.cli.format.Row;
import dev.skiff.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docker's ImageContext: one row per repository:tag (and digest with --digests) of each image. */
public final class ImageRows {
    public static final String DEFAULT_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public static final String DIGEST_TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    public static final Map<String, String> HEADERS = Map.ofEntries(
            Map.entry("Repository", "REPOSITORY"), Map.entry("Tag", "TAG"), Map.entry("ID", "IMAGE ID"),
            Map.entry("Digest", "DIGEST"), Map.entry("CreatedSince", "CREATED"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("Size", "SIZE"), Map.entry("Containers", "CONTAINERS"), Map.entry("SharedSize", "SHARED SIZE"),
            Map.entry("UniqueSize", "UNIQUE SIZE"), Map.entry("VirtualSize", "SIZE"));
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

    private ImageRows() {
    }

    public static List<Row> rows(JsonNode image, boolean trunc, boolean digests, Instant now) {
        List<String[]> refs = references(image, digests);
        List<Row> out = new ArrayList<>();
        for (String[] r : refs) {
            out.add(row(image, r[0], r[1], r[2], trunc, now));
        }
        return out;
    }

    /** imageFormatTaggedAndDigest: [repository, tag, digest] triples. */
    static List<String[]> references(JsonNode image, boolean showDigests) {
        Map<String, List<String>> tags = new LinkedHashMap<>();
        Map<String, List<String>> digests = new LinkedHashMap<>();
        for (JsonNode t : image.path("RepoTags")) {
            String ref = t.asText();
            if (ref.equals("<none>:<none>")) {
                continue;
            }
            References.Ref r = References.split(ref);
            tags.computeIfAbsent(Names.familiar(r.repository()), k -> new ArrayList<>()).add(r.tag() == null ? "latest" : r.tag());
        }
        for (JsonNode d : image.path("RepoDigests")) {
            String ref = d.asText();
            int at = ref.indexOf('@');
            if (at < 0 || ref.equals("<none>@<none>")) {
                continue;
            }
            digests.computeIfAbsent(Names.familiar(ref.substring(0, at)), k -> new ArrayList<>()).add(ref.substring(at + 1));
        }
        List<String[]> out = new ArrayList<>();
        if (tags.isEmpty() && digests.isEmpty()) {
            out.add(new String[] {"<none>", "<none>", "<none>"});
            return out;
        }
        tags.forEach((repo, ts) -> {
            List<String> ds = digests.remove(repo);
            for (String tag : ts) {
                if (!showDigests || ds == null || ds.isEmpty()) {
                    out.add(new String[] {repo, tag, "<none>"});
                } else {
                    ds.forEach(d -> out.add(new String[] {repo, tag, d}));
                }
            }
        });
        digests.forEach((repo, ds) -> {
            if (showDigests) {
                ds.forEach(d -> out.add(new String[] {repo, "<none>", d}));
            } else {
                out.add(new String[] {repo, "<none>", ""});
            }
        });
        return out;
    }

    private static Row row(JsonNode i, String repo, String tag, String digest, boolean trunc, Instant now) {
        String id = i.path("Id").asText();
        long created = i.path("Created").asLong();
        return new Row("formatter.imageContext")
                .field("ID", () -> trunc ? Names.shortId(id) : id)
                .field("Repository", () -> repo)
                .field("Tag", () -> tag)
                .field("Digest", () -> digest)
                .field("CreatedSince", () -> created == 0 ? "N/A" : Units.humanDuration(Duration.between(Instant.ofEpochSecond(created), now)) + " ago")
                .field("CreatedAt", () -> GO_TIME.format(Instant.ofEpochSecond(created).atZone(ZoneId.systemDefault())))
                .field("Size", () -> Units.humanSize(i.path("Size").asDouble(), 3))
                .field("VirtualSize", () -> Units.humanSize(i.path("Size").asDouble()))
                .field("SharedSize", () -> i.path("SharedSize").asLong(-1) < 0 ? "N/A" : Units.humanSize(i.path("SharedSize").asDouble()))
                .field("UniqueSize", () -> i.path("SharedSize").asLong(-1) < 0 ? "N/A"
                        : Units.humanSize(i.path("Size").asDouble() - i.path("SharedSize").asDouble()))
                .field("Containers", () -> i.path("Containers").asLong(-1) < 0 ? "N/A" : i.path("Containers").asText());
    }
}

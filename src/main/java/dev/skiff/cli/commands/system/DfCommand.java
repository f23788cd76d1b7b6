package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.container.ContainerRows;
import dev.skiff.cli.commands.image.ImageRows;
import dev.skiff.cli.format.Formatter;
import dev.skiff.cli.format.Row;
import dev.skiff.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker system df. */
@Command(name = "df", customSynopsis = "[OPTIONS]", description = "Show Skiff disk usage")
public final class DfCommand extends ApiCommand {
    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format;

    @Option(names = {"-v", "--verbose"}, description = "Show detailed information on space usage")
    boolean verbose;

    DfCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        JsonNode df = api.get(Query.path("/system/df"));
        if (!verbose) {
            ctx.out().print(Formatter.render(format, DiskUsage.DEFAULT_TABLE, DiskUsage.HEADERS, DiskUsage.rows(df)));
            return 0;
        }
        boolean table = format == null || format.isEmpty() || format.startsWith("table");
        List<Row> images = new ArrayList<>();
        for (JsonNode i : df.path("Images")) {
            // one row per image, under its first tag, as the docker CLI's df lists them
            // docker's df sets no digest, and truncates IDs only in its tables
            ImageRows.rows(i, table, false, ctx.clock().instant()).stream().findFirst()
                    .ifPresent(r -> images.add(r.field("Digest", () -> "")));
        }
        List<Row> containers = new ArrayList<>();
        for (JsonNode c : df.path("Containers")) {
            // the docker CLI's df shows a container's own size here, without ps's "(virtual ...)"
            containers.add(ContainerRows.row(c, table, ctx.clock().instant())
                    .field("Size", () -> Units.humanSize(c.path("SizeRw").asDouble(), 3)));
        }
        List<Row> volumes = new ArrayList<>();
        for (JsonNode v : df.path("Volumes")) {
            volumes.add(dev.skiff.cli.commands.volume.VolumeCommands.row(v));
        }
        List<Row> caches = new ArrayList<>();
        for (JsonNode b : byLastUse(df.path("BuildCache"))) {
            caches.add(new Row("formatter.buildCacheContext")
                    .field("ID", () -> table ? dev.skiff.cli.commands.Names.shortId(b.path("ID").asText()) : b.path("ID").asText())
                    // the docker 28 CLI reads the deprecated Parent field alone (empty from API 1.42 on)
                    .field("Parent", () -> b.path("Parent").asText(""))
                    .field("CacheType", () -> b.path("Type").asText())
                    .field("Description", () -> b.path("Description").asText())
                    .field("Size", () -> Units.humanSize(b.path("Size").asDouble(), 3))
                    .field("CreatedAt", () -> goTime(b.path("CreatedAt").asText("")))
                    .field("CreatedSince", () -> since(b.path("CreatedAt").asText("")))
                    .field("LastUsedAt", () -> goTime(b.path("LastUsedAt").asText("")))
                    .field("LastUsedSince", () -> since(b.path("LastUsedAt").asText("")))
                    .field("UsageCount", () -> b.path("UsageCount").asText("0"))
                    .field("InUse", () -> b.path("InUse").asText("false"))
                    .field("Shared", () -> b.path("Shared").asText("false")));
        }
        if (format != null && !format.isEmpty() && !format.equals("table")) {
            // as the docker CLI: a template given with -v runs once over the four lists ({{len .Images}},
            // {{range .Volumes}}{{.Name}} {{.Size}}{{end}}), its output as it comes
            Row all = new Row("formatter.diskUsageContext").inFieldOrder().field("Images", () -> images)
                    .field("Containers", () -> containers).field("Volumes", () -> volumes).field("BuildCache", () -> caches);
            ctx.out().print(dev.skiff.cli.format.Template.parse(format.strip().replace("\\t", "\t").replace("\\n", "\n"))
                    .execute(all));
            return 0;
        }
        ctx.out().println("Images space usage:\n");
        ctx.out().print(Formatter.render("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}",
                "", ImageRows.HEADERS, images));
        ctx.out().println("\nContainers space usage:\n");
        ctx.out().print(Formatter.render("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
                "", ContainerRows.HEADERS, containers));
        ctx.out().println("\nLocal Volumes space usage:\n");
        ctx.out().print(Formatter.render("table {{.Name}}\t{{.Links}}\t{{.Size}}", "",
                Map.of("Name", "VOLUME NAME", "Links", "LINKS", "Size", "SIZE"), volumes));
        ctx.out().println("\nBuild cache usage: " + Units.humanSize(sumBuildCache(df.path("BuildCache"))) + "\n");
        ctx.out().print(Formatter.render("table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
                "", Map.of("ID", "CACHE ID", "CacheType", "CACHE TYPE", "Size", "SIZE", "CreatedSince", "CREATED",
                        "LastUsedSince", "LAST USED", "UsageCount", "USAGE", "Shared", "SHARED"), caches));
        return 0;
    }

    /** Go's time.Time String() of an RFC 3339 time ("2026-12-07 14:45:02.226 +0000 UTC"), "" for none. */
    private static String goTime(String time) {
        return time.isEmpty() ? "" : dev.skiff.cli.format.GoTypes.timeString(time);
    }

    private String since(String time) {
        if (time.isEmpty()) {
            return "";
        }
        java.time.Instant t = java.time.OffsetDateTime.parse(time).toInstant();
        return Units.humanDuration(java.time.Duration.between(t, ctx.clock().instant())) + " ago";
    }

    /** What the docker CLI counts as the build cache's usage: the records not shared with an image. */
    private static long sumBuildCache(JsonNode list) {
        long total = 0;
        for (JsonNode b : list) {
            if (!b.path("Shared").asBoolean(false)) {
                total += b.path("Size").asLong();
            }
        }
        return total;
    }

    /** The build cache records as the docker CLI lists them: least recently used first, never used ones last. */
    private static List<JsonNode> byLastUse(JsonNode list) {
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        out.sort(java.util.Comparator.comparing((JsonNode b) -> lastUsed(b),
                java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())));
        return out;
    }

    private static java.time.Instant lastUsed(JsonNode b) {
        String t = b.path("LastUsedAt").asText("");
        return t.isEmpty() ? null : java.time.OffsetDateTime.parse(t).toInstant();
    }
}

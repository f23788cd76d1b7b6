package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
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
    @Option(names = "--format", paramLabel = "string", description = "Format output using a custom template")
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
        List<Row> images = new ArrayList<>();
        for (JsonNode i : df.path("Images")) {
            images.addAll(ImageRows.rows(i, true, false, ctx.clock().instant()));
        }
        ctx.out().println("Images space usage:\n");
        ctx.out().print(Formatter.render("table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}\t{{.SharedSize}}\t{{.UniqueSize}}\t{{.Containers}}",
                "", ImageRows.HEADERS, images));
        List<Row> containers = new ArrayList<>();
        for (JsonNode c : df.path("Containers")) {
            // the docker CLI's df shows a container's own size here, without ps's "(virtual ...)"
            containers.add(ContainerRows.row(c, true, ctx.clock().instant())
                    .field("Size", () -> Units.humanSize(c.path("SizeRw").asDouble(), 3)));
        }
        ctx.out().println("\nContainers space usage:\n");
        ctx.out().print(Formatter.render("table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.LocalVolumes}}\t{{.Size}}\t{{.RunningFor}}\t{{.Status}}\t{{.Names}}",
                "", ContainerRows.HEADERS, containers));
        List<Row> volumes = new ArrayList<>();
        for (JsonNode v : df.path("Volumes")) {
            volumes.add(new Row("volumeContext")
                    .field("Name", () -> v.path("Name").asText())
                    .field("Links", () -> v.path("UsageData").path("RefCount").asText("0"))
                    .field("Size", () -> Units.humanSize(v.path("UsageData").path("Size").asDouble())));
        }
        ctx.out().println("\nLocal Volumes space usage:\n");
        ctx.out().print(Formatter.render("table {{.Name}}\t{{.Links}}\t{{.Size}}", "",
                Map.of("Name", "VOLUME NAME", "Links", "LINKS", "Size", "SIZE"), volumes));
        ctx.out().println("\nBuild cache usage: " + Units.humanSize(sumBuildCache(df.path("BuildCache"))) + "\n");
        List<Row> caches = new ArrayList<>();
        for (JsonNode b : df.path("BuildCache")) {
            caches.add(new Row("buildCacheContext")
                    .field("ID", () -> dev.skiff.cli.commands.Names.shortId(b.path("ID").asText()))
                    .field("CacheType", () -> b.path("Type").asText())
                    .field("Size", () -> Units.humanSize(b.path("Size").asDouble()))
                    .field("CreatedSince", () -> since(b.path("CreatedAt").asText("")))
                    .field("LastUsedSince", () -> since(b.path("LastUsedAt").asText("")))
                    .field("UsageCount", () -> b.path("UsageCount").asText("0"))
                    .field("Shared", () -> b.path("Shared").asText("false")));
        }
        ctx.out().print(Formatter.render("table {{.ID}}\t{{.CacheType}}\t{{.Size}}\t{{.CreatedSince}}\t{{.LastUsedSince}}\t{{.UsageCount}}\t{{.Shared}}",
                "", Map.of("ID", "CACHE ID", "CacheType", "CACHE TYPE", "Size", "SIZE", "CreatedSince", "CREATED",
                        "LastUsedSince", "LAST USED", "UsageCount", "USAGE", "Shared", "SHARED"), caches));
        return 0;
    }

    private String since(String time) {
        if (time.isEmpty()) {
            return "";
        }
        java.time.Instant t = java.time.OffsetDateTime.parse(time).toInstant();
        return Units.humanDuration(java.time.Duration.between(t, ctx.clock().instant())) + " ago";
    }

    private static long sumBuildCache(JsonNode list) {
        long total = 0;
        for (JsonNode b : list) {
            total += b.path("Size").asLong();
        }
        return total;
    }
}

package dev.skiff.cli.commands.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Names;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Formatter;
import dev.skiff.cli.format.Row;
import dev.skiff.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker history / image history. */
@Command(name = "history", customSynopsis = "[OPTIONS] IMAGE", description = "Show the history of an image")
public final class HistoryCommand extends ApiCommand {
    static final String DEFAULT_TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final String NON_HUMAN_TABLE = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT",
            "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");

    @Parameters(paramLabel = "IMAGE", arity = "1")
    String image;

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format;

    @Option(names = {"-H", "--human"}, arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Print sizes and dates in human readable format (default true)")
    boolean human;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    @Option(names = "--platform", paramLabel = "string", description = "Show history for the given platform. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
    String platform;

    HistoryCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (JsonNode h : api.get(Query.path("/images/%s/history", image).param("platform", platform))) {
            rows.add(row(h));
        }
        String fmt = format;
        if (quiet && (fmt == null || fmt.isEmpty() || fmt.equals("table"))) {
            fmt = "{{.ID}}";
        }
        ctx.out().print(Formatter.render(fmt, human ? DEFAULT_TABLE : NON_HUMAN_TABLE, HEADERS, rows));
        return 0;
    }

    private Row row(JsonNode h) {
        boolean trunc = !noTrunc;
        String id = h.path("Id").asText();
        Instant created = Instant.ofEpochSecond(h.path("Created").asLong());
        long size = h.path("Size").asLong();
        return new Row("image.historyContext")
                .field("ID", () -> id.equals("<missing>") || !trunc ? id : Names.shortId(id))
                .field("CreatedSince", () -> human
                        ? Units.humanDuration(Duration.between(created, ctx.clock().instant())) + " ago"
                        : DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(created.atZone(ZoneId.systemDefault())))
                .field("CreatedAt", () -> DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(created.atZone(ZoneId.systemDefault())))
                .field("CreatedBy", () -> {
                    String by = h.path("CreatedBy").asText("").replace("\t", " ");
                    return trunc && by.codePointCount(0, by.length()) > 45 ? by.substring(0, by.offsetByCodePoints(0, 44)) + "…" : by;
                })
                .field("Size", () -> human ? Units.humanSize(size, 3) : Long.toString(size))
                .field("Comment", () -> h.path("Comment").asText(""));
    }
}

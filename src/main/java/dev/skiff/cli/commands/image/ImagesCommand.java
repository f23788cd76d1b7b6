package dev.skiff.cli.commands.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Formatter;
import dev.skiff.cli.format.Row;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker images / image ls. */
@Command(name = "images", customSynopsis = "[OPTIONS] [REPOSITORY[:TAG]]", description = "List images")
public final class ImagesCommand extends ApiCommand {
    @Parameters(paramLabel = "REPOSITORY[:TAG]", arity = "0..1")
    String reference;

    @Option(names = {"-a", "--all"}, description = "Show all images (default hides intermediate images)")
    boolean all;

    @Option(names = "--digests", description = "Show digests")
    boolean digests;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only show image IDs")
    boolean quiet;

    ImagesCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        List<String> f = new ArrayList<>(filters);
        if (reference != null) {
            f.add("reference=" + reference);
        }
        JsonNode list = api.get(Query.path("/images/json").param("all", all).param("digests", digests)
                .param("filters", Filters.toJson(f)));
        List<Row> rows = new ArrayList<>();
        for (JsonNode image : list) {
            rows.addAll(ImageRows.rows(image, !noTrunc, digests || (format != null && format.contains(".Digest")), ctx.clock().instant()));
        }
        String fmt = format;
        if (quiet && (fmt == null || fmt.isEmpty() || fmt.equals("table"))) {
            fmt = "{{.ID}}";
        }
        ctx.out().print(Formatter.render(fmt, digests ? ImageRows.DIGEST_TABLE : ImageRows.DEFAULT_TABLE, ImageRows.HEADERS, rows));
        return 0;
    }
}

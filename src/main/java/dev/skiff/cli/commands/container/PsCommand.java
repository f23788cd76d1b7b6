package dev.skiff.cli.commands.container;

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

/** docker ps / container ls. */
@Command(name = "ps", customSynopsis = "[OPTIONS]", description = "List containers")
public final class PsCommand extends ApiCommand {
    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format;

    @Option(names = {"-n", "--last"}, paramLabel = "int", defaultValue = "-1", description = "Show n last created containers (includes all states) (default -1)")
    int last;

    @Option(names = {"-l", "--latest"}, description = "Show the latest created container (includes all states)")
    boolean latest;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    @Option(names = {"-q", "--quiet"}, description = "Only display container IDs")
    boolean quiet;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    PsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        int limit = latest ? 1 : last;
        boolean wantSize = size || (format != null && format.contains(".Size"));
        Query q = Query.path("/containers/json")
                .param("all", all)
                .param("limit", limit > 0 ? limit : null)
                .param("size", wantSize)
                .param("filters", Filters.toJson(filters));
        JsonNode list = api.get(q);
        List<Row> rows = new ArrayList<>();
        for (JsonNode c : list) {
            rows.add(ContainerRows.row(c, !noTrunc, ctx.clock().instant()));
        }
        String table = ContainerRows.DEFAULT_TABLE + (size ? "\t{{.Size}}" : "");
        String f = format;
        if (quiet) {
            if (f != null && !f.isEmpty() && !f.equals("table")) {
                ctx.err().println("WARNING: Ignoring custom format, because both --format and --quiet are set.");
            }
            f = "{{.ID}}";
        }
        ctx.out().print(Formatter.render(f, table, ContainerRows.HEADERS, rows, "failed to execute template: "));
        return 0;
    }
}

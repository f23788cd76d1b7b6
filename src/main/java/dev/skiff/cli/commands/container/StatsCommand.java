package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Formatter;
import dev.skiff.cli.format.Row;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker stats: one snapshot with --no-stream, else the table redrawn every second. */
@Command(name = "stats", customSynopsis = "[OPTIONS] [CONTAINER...]", description = "Display a live stream of container(s) resource usage statistics")
public final class StatsCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "0..*")
    List<String> containers = new ArrayList<>();

    @Option(names = {"-a", "--all"}, description = "Show all containers (default shows just running)")
    boolean all;

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.TABLE)
    String format;

    @Option(names = "--no-stream", description = "Disable streaming stats and only pull the first result")
    boolean noStream;

    @Option(names = "--no-trunc", description = "Do not truncate output")
    boolean noTrunc;

    StatsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        while (true) {
            String table = snapshot(api);
            if (noStream) {
                ctx.out().print(table);
                return 0;
            }
            // docker clears the screen and redraws in place
            ctx.out().print("\033[2J\033[H" + table);
            ctx.out().flush();
            Thread.sleep(1000);
        }
    }

    private String snapshot(Api api) throws Exception {
        List<String> targets = containers;
        if (targets.isEmpty()) {
            targets = new ArrayList<>();
            for (JsonNode c : api.get(Query.path("/containers/json").param("all", all))) {
                targets.add(c.path("Id").asText());
            }
        }
        List<Row> rows = new ArrayList<>();
        for (String t : targets) {
            try {
                JsonNode s = api.get(Query.path("/containers/%s/stats", t).param("stream", "0"));
                rows.add(StatsRows.row(t, s, !noTrunc));
            } catch (ApiException e) {
                if (!containers.isEmpty()) {
                    throw e;
                }
                // a container listed a moment ago may be gone; docker skips it
            }
        }
        return Formatter.render(format, StatsRows.DEFAULT_TABLE, StatsRows.HEADERS, rows);
    }
}

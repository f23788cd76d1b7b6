package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker container prune. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove all stopped containers")
public final class ContainerPruneCommand extends ApiCommand {
    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    ContainerPruneCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        if (!force && !Prompt.confirm(ctx, "WARNING! This will remove all stopped containers.")) {
            return 0;
        }
        long reclaimed = prune(api, ctx, filters);
        ctx.out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        return 0;
    }

    /** Prunes and prints the deleted IDs; returns the space reclaimed (system prune sums these). */
    public static long prune(Api api, CliContext ctx, List<String> filters) throws java.io.IOException {
        JsonNode report = api.post(Query.path("/containers/prune").param("filters", Filters.toJson(filters)));
        JsonNode deleted = report.path("ContainersDeleted");
        if (deleted.isEmpty()) {
            return 0;
        }
        StringBuilder b = new StringBuilder("Deleted Containers:\n");
        deleted.forEach(id -> b.append(id.asText()).append('\n'));
        ctx.out().println(b);
        return report.path("SpaceReclaimed").asLong();
    }
}

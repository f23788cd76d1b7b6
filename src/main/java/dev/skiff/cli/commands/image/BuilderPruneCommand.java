package dev.skiff.cli.commands.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.system.Groups;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Units;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker builder prune: unused build cache, or with -a all of it. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove build cache")
public final class BuilderPruneCommand extends ApiCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all unused build cache, not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=24h\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--keep-storage", paramLabel = "bytes", description = "Amount of disk space to keep for cache")
    String keepStorage;

    BuilderPruneCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        String warning = all ? "WARNING! This will remove all build cache."
                : "WARNING! This will remove all dangling build cache.";
        if (!force && !Prompt.confirm(ctx, warning)) {
            return 0;
        }
        Long keep = null;
        if (keepStorage != null) {
            try {
                keep = dev.skiff.sys.HumanUnits.ramInBytes(keepStorage);
            } catch (IllegalArgumentException e) {
                throw dev.skiff.cli.commands.CliFailure.usage("invalid argument \"" + keepStorage + "\" for \"--keep-storage\" flag: "
                        + e.getMessage());
            }
        }
        Query q = Query.path("/build/prune").param("all", all).param("keep-storage", keep);
        if (!filters.isEmpty()) {
            q.param("filters", Filters.toJson(filters));
        }
        JsonNode report = api.post(q);
        JsonNode deleted = report.path("CachesDeleted");
        if (!deleted.isEmpty()) {
            StringBuilder b = new StringBuilder("Deleted build cache objects:\n");
            deleted.forEach(d -> b.append(d.asText()).append('\n'));
            ctx.out().println(b);
        }
        ctx.out().println("Total reclaimed space: " + Units.humanSize(report.path("SpaceReclaimed").asLong()));
        return 0;
    }

    /** `skiff builder`: alone it prints its usage. */
    @Command(name = "builder", customSynopsis = "COMMAND", description = "Manage builds")
    public static final class Group extends Groups.Group {
    }
}

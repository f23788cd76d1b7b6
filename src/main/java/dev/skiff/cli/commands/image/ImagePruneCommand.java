package dev.skiff.cli.commands.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Units;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker image prune: dangling images, or with -a every image no container uses. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove unused images")
public final class ImagePruneCommand extends ApiCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all unused images, not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"until=<timestamp>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    ImagePruneCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        String warning = all ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.";
        if (!force && !Prompt.confirm(ctx, warning)) {
            return 0;
        }
        long reclaimed = prune(api, ctx, all, filters);
        ctx.out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        return 0;
    }

    /** Prunes and prints what went; returns the space reclaimed. */
    public static long prune(Api api, CliContext ctx, boolean all, List<String> filters) throws IOException {
        List<String> f = new ArrayList<>(filters);
        f.add("dangling=" + !all);
        JsonNode report = api.post(Query.path("/images/prune").param("filters", Filters.toJson(f)));
        JsonNode deleted = report.path("ImagesDeleted");
        if (deleted.isEmpty()) {
            return 0;
        }
        StringBuilder b = new StringBuilder("Deleted Images:\n");
        for (JsonNode d : deleted) {
            if (!d.path("Untagged").asText("").isEmpty()) {
                b.append("untagged: ").append(d.path("Untagged").asText()).append('\n');
            } else {
                b.append("deleted: ").append(d.path("Deleted").asText()).append('\n');
            }
        }
        ctx.out().println(b);
        return report.path("SpaceReclaimed").asLong();
    }
}

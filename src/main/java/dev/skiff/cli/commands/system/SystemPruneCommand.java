package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.container.ContainerPruneCommand;
import dev.skiff.cli.commands.image.ImagePruneCommand;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Units;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker system prune: stopped containers, unused networks, (volumes), dangling or unused images, build cache. */
@Command(name = "prune", customSynopsis = "[OPTIONS]", description = "Remove unused data")
public final class SystemPruneCommand extends ApiCommand {
    @Option(names = {"-a", "--all"}, description = "Remove all unused images not just dangling ones")
    boolean all;

    @Option(names = "--filter", paramLabel = "filter", description = "Provide filter values (e.g. \"label=<key>=<value>\")")
    List<String> filters = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Do not prompt for confirmation")
    boolean force;

    @Option(names = "--volumes", description = "Prune anonymous volumes")
    boolean volumes;

    SystemPruneCommand(CliContext ctx) {
        super(ctx);
    }

    String warning() {
        List<String> w = new ArrayList<>(List.of("all stopped containers", "all networks not used by at least one container"));
        if (volumes) {
            w.add("all anonymous volumes not used by at least one container");
        }
        w.add(all ? "all images without at least one container associated to them" : "all dangling images");
        w.add(all ? "all build cache" : "unused build cache");
        StringBuilder b = new StringBuilder("WARNING! This will remove:");
        w.forEach(s -> b.append("\n  - ").append(s));
        if (!filters.isEmpty()) {
            b.append("\n\n  Items to be pruned will be filtered with:");
            filters.forEach(f -> b.append("\n  - ").append(f));
        }
        return b.append('\n').toString();
    }

    @Override
    protected int run(Api api) throws Exception {
        if (!force && !Prompt.confirm(ctx, warning())) {
            return 0;
        }
        long reclaimed = ContainerPruneCommand.prune(api, ctx, filters);
        optional(() -> listed(api, Query.path("/networks/prune").param("filters", Filters.toJson(filters)), "NetworksDeleted", "Deleted Networks:"));
        if (volumes) {
            reclaimed += optional(() -> listed(api, Query.path("/volumes/prune").param("filters", Filters.toJson(filters)), "VolumesDeleted", "Deleted Volumes:"));
        }
        reclaimed += ImagePruneCommand.prune(api, ctx, all, filters);
        reclaimed += optional(() -> listed(api, Query.path("/build/prune").param("all", all).param("filters", Filters.toJson(filters)),
                "CachesDeleted", "Deleted build cache objects:"));
        ctx.out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        return 0;
    }

    private interface Step {
        long run() throws IOException;
    }

    /** A daemon without this kind of object (404) simply has nothing to prune. */
    private static long optional(Step step) throws IOException {
        try {
            return step.run();
        } catch (ApiException e) {
            if (e.status() == 404) {
                return 0;
            }
            throw e;
        }
    }

    private long listed(Api api, Query q, String field, String heading) throws IOException {
        JsonNode report = api.post(q);
        JsonNode deleted = report.path(field);
        if (!deleted.isEmpty()) {
            StringBuilder b = new StringBuilder(heading).append('\n');
            deleted.forEach(d -> b.append(d.asText()).append('\n'));
            ctx.out().println(b);
        }
        return report.path("SpaceReclaimed").asLong();
    }
}

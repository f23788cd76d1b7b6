package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** docker diff: "C /etc", "A /etc/new", "D /tmp/gone". */
@Command(name = "diff", customSynopsis = "CONTAINER", description = "Inspect changes to files or directories on a container's filesystem")
public final class DiffCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1")
    String container;

    DiffCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        for (JsonNode c : api.get(Query.path("/containers/%s/changes", container))) {
            String kind = switch (c.path("Kind").asInt()) {
                case 0 -> "C";
                case 1 -> "A";
                case 2 -> "D";
                default -> "?";
            };
            ctx.out().println(kind + " " + c.path("Path").asText());
        }
        return 0;
    }
}

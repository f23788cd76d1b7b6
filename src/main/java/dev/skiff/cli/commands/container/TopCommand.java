package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.TabWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** docker top: the daemon runs ps with the given options; we align its columns. */
@Command(name = "top", customSynopsis = "CONTAINER [ps OPTIONS]", description = "Display the running processes of a container")
public final class TopCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", paramLabel = "ps OPTIONS", arity = "0..*")
    List<String> psArgs = new ArrayList<>();

    TopCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        JsonNode top = api.get(Query.path("/containers/%s/top", container)
                .param("ps_args", psArgs.isEmpty() ? null : String.join(" ", psArgs)));
        StringBuilder b = new StringBuilder();
        b.append(join(top.path("Titles"))).append('\n');
        for (JsonNode p : top.path("Processes")) {
            b.append(join(p)).append('\n');
        }
        ctx.out().print(TabWriter.align(b.toString(), 20, 3));
        return 0;
    }

    private static String join(JsonNode array) {
        List<String> parts = new ArrayList<>();
        array.forEach(n -> parts.add(n.asText()));
        return String.join("\t", parts);
    }
}

package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Each;
import dev.skiff.cli.commands.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker wait. */
@Command(name = "wait", customSynopsis = "CONTAINER [CONTAINER...]", description = "Block until one or more containers stop, then print their exit codes")
public final class WaitCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    WaitCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) {
        return Each.run(ctx, containers, c -> {
            return api.post(Query.path("/containers/%s/wait", c)).path("StatusCode").asText();
        });
    }
}

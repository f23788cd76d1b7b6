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

/** docker pause. */
@Command(name = "pause", customSynopsis = "CONTAINER [CONTAINER...]", description = "Pause all processes within one or more containers")
public final class PauseCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers = new ArrayList<>();

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    PauseCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) {
        return Each.run(ctx, containers, c -> {
            api.post(Query.path("/containers/%s/pause", c));
            return c;
        });
    }
}

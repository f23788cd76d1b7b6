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

/** docker restart. */
@Command(name = "restart", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]", description = "Restart one or more containers")
public final class RestartCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers = new ArrayList<>();

    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Option(names = {"-t", "--timeout", "--time"}, paramLabel = "int", description = "Seconds to wait before killing the container")
    Integer timeout;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    RestartCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) {
        return Each.run(ctx, containers, c -> {
            api.post(Query.path("/containers/%s/restart", c).param("signal", signal).param("t", timeout));
            return c;
        });
    }
}

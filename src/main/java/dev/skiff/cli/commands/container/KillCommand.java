package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker kill. */
@Command(name = "kill", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]", description = "Kill one or more running containers")
public final class KillCommand extends EachContainerCommand {
    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    KillCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    String act(Api api, String c) throws IOException {
        api.post(Query.path("/containers/%s/kill", c).param("signal", signal));
        return c;
    }
}

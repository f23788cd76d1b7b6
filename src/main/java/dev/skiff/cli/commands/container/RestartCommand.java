package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker restart. */
@Command(name = "restart", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]", description = "Restart one or more containers")
public final class RestartCommand extends EachContainerCommand {
    @Option(names = {"-s", "--signal"}, paramLabel = "string", description = "Signal to send to the container")
    String signal;

    @Option(names = {"-t", "--timeout", "--time"}, paramLabel = "int", description = "Seconds to wait before killing the container")
    Integer timeout;

    RestartCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    String act(Api api, String c) throws IOException {
        api.post(Query.path("/containers/%s/restart", c).param("signal", signal).param("t", timeout));
        return c;
    }
}

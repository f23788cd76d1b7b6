package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import picocli.CommandLine.Command;

/** docker wait. */
@Command(name = "wait", customSynopsis = "CONTAINER [CONTAINER...]", description = "Block until one or more containers stop, then print their exit codes")
public final class WaitCommand extends EachContainerCommand {
    WaitCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    String act(Api api, String c) throws IOException {
        return api.post(Query.path("/containers/%s/wait", c)).path("StatusCode").asText();
    }
}

package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import picocli.CommandLine.Command;

/** docker unpause. */
@Command(name = "unpause", customSynopsis = "CONTAINER [CONTAINER...]", description = "Unpause all processes within one or more containers")
public final class UnpauseCommand extends EachContainerCommand {
    UnpauseCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    String act(Api api, String c) throws IOException {
        api.post(Query.path("/containers/%s/unpause", c));
        return c;
    }
}

package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import picocli.CommandLine.Command;

/** docker pause. */
@Command(name = "pause", customSynopsis = "CONTAINER [CONTAINER...]", description = "Pause all processes within one or more containers")
public final class PauseCommand extends EachContainerCommand {
    PauseCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    String act(Api api, String c) throws IOException {
        api.post(Query.path("/containers/%s/pause", c));
        return c;
    }
}

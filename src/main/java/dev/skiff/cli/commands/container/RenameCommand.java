package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** docker rename. */
@Command(name = "rename", customSynopsis = "CONTAINER NEW_NAME", description = "Rename a container")
public final class RenameCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "NEW_NAME")
    String newName;

    RenameCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        String name = newName.strip();
        if (name.isEmpty() || container.strip().isEmpty()) {
            throw CliFailure.of("Error: Neither old nor new names may be empty", 1);
        }
        try {
            api.post(Query.path("/containers/%s/rename", container).param("name", name));
        } catch (dev.skiff.cli.client.ApiException e) {
            // the docker CLI follows the daemon's words with its own line
            throw CliFailure.of("Error response from daemon: " + e.getMessage() + "\nError: failed to rename container named "
                    + container, 1);
        }
        return 0;
    }
}

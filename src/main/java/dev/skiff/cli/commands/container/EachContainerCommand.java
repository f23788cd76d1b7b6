package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Each;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Parameters;

/** stop, kill, restart, pause, unpause, rm, wait: one call per named container, docker's per-target reporting. */
abstract class EachContainerCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers = new ArrayList<>();

    EachContainerCommand(CliContext ctx) {
        super(ctx);
    }

    /** Acts on one container; returns the line to print (docker echoes the name given), or null. */
    abstract String act(Api api, String container) throws IOException;

    /** Whether a failure is reported without failing the command (rm -f of a missing container); none by default. */
    boolean harmless(dev.skiff.cli.client.ApiException e) {
        return false;
    }

    @Override
    protected final int run(Api api) {
        return Each.run(ctx, containers, c -> act(api, c), this::harmless);
    }
}

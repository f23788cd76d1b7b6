package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** docker create: prints the new container's full ID. */
@Command(name = "create", customSynopsis = "[OPTIONS] IMAGE [COMMAND] [ARG...]", description = "Create a new container")
public final class CreateCommand extends ApiCommand {
    @Mixin
    RunOptions options;

    @picocli.CommandLine.Option(names = "--rm", description = "Automatically remove the container and its associated anonymous volumes when it exits")
    boolean rm;

    CreateCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        String id = ContainerCreator.create(api, ctx, options, CreateBody.build(options, ctx.env(), rm, false));
        ctx.out().println(id);
        return 0;
    }

    @Override
    public int failureExitCode() {
        return 125;
    }

    @Override
    public String failureMessage(String message) {
        return message.startsWith("skiff: ") ? message
                : "skiff: " + message + "\n\nRun '" + spec.qualifiedName() + " --help' for more information";
    }
}

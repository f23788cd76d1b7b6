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

    /** Whether the flags were read: the daemon's refusals after that are docker create's plain errors. */
    private boolean parsed;

    @Override
    protected int run(Api api) throws Exception {
        var body = CreateBody.build(options, ctx.env(), rm, false);
        parsed = true;
        String id = ContainerCreator.create(api, ctx, options, body);
        ctx.out().println(id);
        return 0;
    }

    /**
     * As docker create: a flag it cannot read is 125 with the help line; what the daemon refuses (a name in use, a
     * missing image, a bad capability) is its error as it is and 1, where docker run says 125.
     */
    @Override
    public int failureExitCode() {
        return parsed ? 1 : 125;
    }

    @Override
    public String failureMessage(String message) {
        if (parsed) {
            return message;
        }
        return message.startsWith("skiff: ") ? message
                : "skiff: " + message + "\n\nRun '" + spec.qualifiedName() + " --help' for more information";
    }
}

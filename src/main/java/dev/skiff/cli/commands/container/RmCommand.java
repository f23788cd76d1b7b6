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

/** docker rm. */
@Command(name = "rm", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]", description = "Remove one or more containers")
public final class RmCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link")
    boolean link;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    @Option(names = "--help", usageHelp = true, description = "Print usage")
    boolean help;

    RmCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) {
        return Each.run(ctx, containers, c -> {
            api.delete(Query.path("/containers/%s", c).param("force", force).param("v", volumes).param("link", link));
            return c;
        });
    }
}

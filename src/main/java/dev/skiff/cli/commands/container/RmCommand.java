package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker rm. */
@Command(name = "rm", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]", description = "Remove one or more containers")
public final class RmCommand extends EachContainerCommand {
    @Option(names = {"-f", "--force"}, description = "Force the removal of a running container (uses SIGKILL)")
    boolean force;

    @Option(names = {"-l", "--link"}, description = "Remove the specified link")
    boolean link;

    @Option(names = {"-v", "--volumes"}, description = "Remove anonymous volumes associated with the container")
    boolean volumes;

    RmCommand(CliContext ctx) {
        super(ctx);
    }

    /** As the docker CLI: with --force, a container that is not there is reported and the command still succeeds. */
    @Override
    boolean harmless(dev.skiff.cli.client.ApiException e) {
        return force && e.status() == 404;
    }

    @Override
    String act(Api api, String c) throws IOException {
        api.delete(Query.path("/containers/%s", c).param("force", force).param("v", volumes).param("link", link));
        return c;
    }
}

package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.image.References;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker commit: prints the new image's ID. */
@Command(name = "commit", customSynopsis = "[OPTIONS] CONTAINER [REPOSITORY[:TAG]]", description = "Create a new image from a container's changes")
public final class CommitCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1", paramLabel = "REPOSITORY[:TAG]", arity = "0..1")
    String reference;

    @Option(names = {"-a", "--author"}, paramLabel = "string", description = "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")")
    String author;

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Commit message")
    String message;

    @Option(names = {"-p", "--pause"}, arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Pause container during commit (default true)")
    boolean pause;

    CommitCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        Query q = Query.path("/commit").param("container", container);
        if (reference != null) {
            References.Ref ref = References.split(reference);
            q.param("repo", References.normalizedName(ref.repository())).param("tag", ref.tag());
        }
        q.param("comment", message).param("author", author).param("pause", pause ? "1" : "0").params("changes", changes);
        ctx.out().println(api.post(q).path("Id").asText());
        return 0;
    }
}

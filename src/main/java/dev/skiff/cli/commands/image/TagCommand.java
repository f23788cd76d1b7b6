package dev.skiff.cli.commands.image;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Query;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** docker tag. */
@Command(name = "tag", customSynopsis = "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]",
        description = "Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE")
public final class TagCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "SOURCE_IMAGE[:TAG]")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET_IMAGE[:TAG]")
    String target;

    TagCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        // as the docker CLI: both names are parsed before the daemon is asked
        for (String name : new String[] {source, target}) {
            String problem = References.problem(name);
            if (problem != null) {
                throw dev.skiff.cli.commands.CliFailure.of("Error parsing reference: \"" + name + "\" is not a valid repository/tag: "
                        + problem, 1);
            }
        }
        if (target.contains("@")) {
            throw dev.skiff.cli.commands.CliFailure.of("refusing to create a tag with a digest reference", 1);
        }
        References.Ref ref = References.split(target);
        api.post(Query.path("/images/%s/tag", source).param("repo", References.normalizedName(ref.repository()))
                .param("tag", ref.tag() == null ? "latest" : ref.tag()));
        return 0;
    }
}

package dev.skiff.cli.commands.registry;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.image.References;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker pull: fetches an image from its registry, with per-layer progress. */
@Command(name = "pull", customSynopsis = "[OPTIONS] NAME[:TAG|@DIGEST]", description = "Download an image from a registry")
public final class PullCommand extends ApiCommand {
    @picocli.CommandLine.Mixin
    dev.skiff.cli.commands.ContentTrust contentTrust = new dev.skiff.cli.commands.ContentTrust();

    @Option(names = {"-a", "--all-tags"}, description = "Download all tagged images in the repository")
    boolean allTags;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "NAME[:TAG|@DIGEST]")
    String image;

    PullCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        References.Ref ref = ImagePull.tagged(ctx, image, allTags);
        ImagePull.pull(api, ctx, image, platform, allTags, quiet ? null : ctx.out());
        String name = References.normalizedName(ref.repository());
        if (allTags) {
            ctx.out().println(name);
        } else {
            String suffix = ref.tag() == null ? ":latest" : (ref.tag().contains(":") ? "@" : ":") + ref.tag();
            ctx.out().println(name + suffix);
        }
        return 0;
    }
}

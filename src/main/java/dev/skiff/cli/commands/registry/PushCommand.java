package dev.skiff.cli.commands.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.ProgressDisplay;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.image.References;
import java.io.OutputStream;
import java.io.PrintStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker push: sends a local image to its registry and prints the pushed digest. */
@Command(name = "push", customSynopsis = "[OPTIONS] NAME[:TAG]", description = "Upload an image to a registry")
public final class PushCommand extends ApiCommand {
    @picocli.CommandLine.Mixin
    dev.skiff.cli.commands.ContentTrust contentTrust = new dev.skiff.cli.commands.ContentTrust();

    @Option(names = {"-a", "--all-tags"}, description = "Push all tags of an image to the repository")
    boolean allTags;

    @Option(names = {"-q", "--quiet"}, description = "Suppress verbose output")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "NAME[:TAG]")
    String image;

    PushCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        References.Ref ref = ImagePull.tagged(ctx, image, allTags);
        String tag = allTags ? "" : ref.tag() == null ? "latest" : ref.tag();
        Query q = Query.path("/images/%s/push", ref.repository()).param("tag", tag);
        ApiRequest request = ApiRequest.post(q.build()).withHeader("X-Registry-Auth",
                RegistryAuth.header(ctx, RegistryAuth.registryOf(image)).orElse("e30"));
        PrintStream target = quiet ? new PrintStream(OutputStream.nullOutputStream()) : ctx.out();
        JsonNode aux;
        try (ApiResponse r = api.stream(request)) {
            aux = new ProgressDisplay(target, ctx.terminal().stdoutIsTerminal()).show(r.body());
        }
        if (quiet) {
            ctx.out().println(References.normalizedName(ref.repository()) + (tag.isEmpty() ? "" : ":" + tag));
        }
        return aux.isMissingNode() ? 1 : 0;
    }
}

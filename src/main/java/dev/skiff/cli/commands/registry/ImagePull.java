package dev.skiff.cli.commands.registry;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ProgressDisplay;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.image.References;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/** POST /images/create?fromImage= with the stored credentials, shown as docker shows a pull (pull, run, create). */
public final class ImagePull {
    private ImagePull() {
    }

    /**
     * The reference of a pull or push, with docker's rules for its tag: none with --all-tags, and "latest"
     * announced when it is left out.
     */
    static References.Ref tagged(CliContext ctx, String image, boolean allTags) {
        References.Ref ref = References.split(image);
        if (allTags && ref.tag() != null) {
            throw dev.skiff.cli.commands.CliFailure.of("tag can't be used with --all-tags/-a", 1);
        }
        if (!allTags && ref.tag() == null) {
            ctx.out().println("Using default tag: latest");
        }
        return ref;
    }

    /**
     * Pulls {@code reference}; with {@code allTags} every tag of its repository.
     *
     * @param out where the progress goes (stdout for pull, stderr for run and create); null for none
     */
    public static void pull(Api api, CliContext ctx, String reference, String platform, boolean allTags,
                            PrintStream out) throws IOException {
        References.Ref ref = References.split(reference);
        String tag = allTags ? "" : ref.tag() == null ? "latest" : ref.tag();
        Query q = Query.path("/images/create").param("fromImage", ref.repository()).param("tag", tag)
                .param("platform", platform);
        ApiRequest request = ApiRequest.post(q.build());
        request = request.withHeader("X-Registry-Auth",
                RegistryAuth.header(ctx, RegistryAuth.registryOf(reference)).orElse("e30"));
        PrintStream target = out != null ? out : new PrintStream(OutputStream.nullOutputStream());
        boolean terminal = out != null && ctx.terminal().stdoutIsTerminal();
        try (ApiResponse r = api.stream(request)) {
            new ProgressDisplay(target, terminal).show(r.body());
        }
    }
}

package dev.skiff.cli.commands.image;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.io.OutputFiles;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker save: images as a tar archive to -o or a non-terminal stdout. */
@Command(name = "save", customSynopsis = "[OPTIONS] IMAGE [IMAGE...]",
        description = "Save one or more images to a tar archive (streamed to STDOUT by default)")
public final class SaveCommand extends ApiCommand {
    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    List<String> images = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    @Option(names = "--platform", paramLabel = "string",
            description = "Save only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
    String platform;

    SaveCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        if (output == null) {
            Prompt.refuseTerminal(ctx);
        }
        Query q = Query.path("/images/get").params("names", images).param("platform", platform);
        try (ApiResponse r = api.stream(ApiRequest.get(q.build()))) {
            OutputFiles.write(r.body(), output, ctx.out());
        }
        return 0;
    }
}

package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Prompt;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.io.OutputFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker export: the container's filesystem as a tar, to -o or a non-terminal stdout. */
@Command(name = "export", customSynopsis = "[OPTIONS] CONTAINER", description = "Export a container's filesystem as a tar archive")
public final class ExportCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1")
    String container;

    @Option(names = {"-o", "--output"}, paramLabel = "string", description = "Write to a file, instead of STDOUT")
    String output;

    ExportCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        if (output == null) {
            Prompt.refuseTerminal(ctx);
        }
        try (ApiResponse r = api.stream(ApiRequest.get(Query.path("/containers/%s/export", container).build()))) {
            OutputFiles.write(r.body(), output, ctx.out());
        }
        return 0;
    }
}

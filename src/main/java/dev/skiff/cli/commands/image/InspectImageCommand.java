package dev.skiff.cli.commands.image;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Inspector;
import dev.skiff.cli.commands.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker image inspect. */
@Command(name = "inspect", customSynopsis = "[OPTIONS] IMAGE [IMAGE...]", description = "Display detailed information on one or more images")
public final class InspectImageCommand extends ApiCommand {
    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    List<String> images = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.JSON)
    String format;

    InspectImageCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        return Inspector.inspect(ctx, images, format, "image", n -> api.get(Query.path("/images/%s/json", n)));
    }
}

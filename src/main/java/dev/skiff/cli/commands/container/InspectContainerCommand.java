package dev.skiff.cli.commands.container;

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

/** docker container inspect. */
@Command(name = "inspect", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]", description = "Display detailed information on one or more containers")
public final class InspectContainerCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.JSON)
    String format;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes")
    boolean size;

    InspectContainerCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        return Inspector.inspect(ctx, containers, format, "container",
                n -> api.get(Query.path("/containers/%s/json", n).param("size", size)));
    }
}

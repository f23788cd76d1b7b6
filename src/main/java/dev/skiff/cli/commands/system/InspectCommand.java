package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Inspector;
import dev.skiff.cli.commands.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker inspect: any object by name or ID, containers first, as docker looks them up. */
@Command(name = "inspect", customSynopsis = "[OPTIONS] NAME|ID [NAME|ID...]", description = "Return low-level information on Skiff objects")
public final class InspectCommand extends ApiCommand {
    private static final List<String> TYPES = List.of("container", "image", "network", "volume");

    @Parameters(paramLabel = "NAME|ID", arity = "1..*")
    List<String> names = new ArrayList<>();

    @Option(names = {"-f", "--format"}, paramLabel = "string", description = FormatHelp.JSON)
    String format;

    @Option(names = {"-s", "--size"}, description = "Display total file sizes if the type is container")
    boolean size;

    @Option(names = "--type", paramLabel = "string", description = "Only inspect objects of the given type")
    String type;

    InspectCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        if (type != null && !TYPES.contains(type)) {
            throw CliFailure.of("\"" + type + "\" is not a valid value for --type", 1);
        }
        if (type != null) {
            return Inspector.inspect(ctx, names, format, type, n -> api.get(query(type, n)));
        }
        return Inspector.inspect(ctx, names, format, "object", n -> {
            for (String k : TYPES) {
                JsonNode o = Inspector.getOrNull(api, query(k, n));
                if (o != null) {
                    return o;
                }
            }
            return null;
        });
    }

    private Query query(String kind, String name) {
        return switch (kind) {
            case "container" -> Query.path("/containers/%s/json", name).param("size", size);
            case "image" -> Query.path("/images/%s/json", name);
            case "network" -> Query.path("/networks/%s", name);
            default -> Query.path("/volumes/%s", name);
        };
    }
}

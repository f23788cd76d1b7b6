package dev.skiff.cli.commands.image;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Each;
import dev.skiff.cli.commands.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker rmi / image rm: prints "Untagged: ..." and "Deleted: ..." per removed reference and layer. */
@Command(name = "rmi", customSynopsis = "[OPTIONS] IMAGE [IMAGE...]", description = "Remove one or more images")
public final class RmiCommand extends ApiCommand {
    @Parameters(paramLabel = "IMAGE", arity = "1..*")
    List<String> images = new ArrayList<>();

    @Option(names = {"-f", "--force"}, description = "Force removal of the image")
    boolean force;

    @Option(names = "--no-prune", description = "Do not delete untagged parents")
    boolean noPrune;

    RmiCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) {
        return Each.run(ctx, images, image -> {
            JsonNode removed = api.delete(Query.path("/images/%s", image).param("force", force).param("noprune", noPrune));
            List<String> lines = new ArrayList<>();
            for (JsonNode r : removed) {
                if (r.hasNonNull("Untagged")) {
                    lines.add("Untagged: " + r.path("Untagged").asText());
                }
                if (r.hasNonNull("Deleted")) {
                    lines.add("Deleted: " + r.path("Deleted").asText());
                }
            }
            return lines.isEmpty() ? null : String.join("\n", lines);
        }, e -> force && e.status() == 404); // docker rmi -f: a missing image is said, and the command still succeeds
    }
}

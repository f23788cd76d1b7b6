package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker attach: joins a running container's streams until it exits or the user detaches. */
@Command(name = "attach", customSynopsis = "[OPTIONS] CONTAINER",
        description = "Attach local standard input, output, and error streams to a running container")
public final class AttachCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1")
    String container;

    @Option(names = "--no-stdin", description = "Do not attach STDIN")
    boolean noStdin;

    @Option(names = "--sig-proxy", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Proxy all received signals to the process (default true)")
    boolean sigProxy;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    AttachCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        JsonNode info = api.get(Query.path("/containers/%s/json", container));
        JsonNode state = info.path("State");
        if (!state.path("Running").asBoolean()) {
            throw CliFailure.of("You cannot attach to a stopped container, start it first", 1);
        }
        if (state.path("Paused").asBoolean()) {
            throw CliFailure.of("You cannot attach to a paused container, unpause it first", 1);
        }
        String id = info.path("Id").asText();
        List<String> streams = new ArrayList<>(List.of("stdout", "stderr"));
        if (!noStdin && info.path("Config").path("OpenStdin").asBoolean()) {
            streams.addFirst("stdin");
        }
        boolean tty = info.path("Config").path("Tty").asBoolean();
        AttachFlow.Settings s = new AttachFlow.Settings(tty, streams, "next-exit", detachKeys, sigProxy);
        return AttachFlow.run(api, ctx, id, s, () -> { });
    }
}

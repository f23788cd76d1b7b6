package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Each;
import dev.skiff.cli.commands.Query;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker start: plain, or -a/-i to stream output (and stdin) and exit with the container's code. */
@Command(name = "start", customSynopsis = "[OPTIONS] CONTAINER [CONTAINER...]", description = "Start one or more stopped containers")
public final class StartCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1..*")
    List<String> containers = new ArrayList<>();

    @Option(names = {"-a", "--attach"}, description = "Attach STDOUT/STDERR and forward signals")
    boolean attach;

    @Option(names = {"-i", "--interactive"}, description = "Attach container's STDIN")
    boolean interactive;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    StartCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        if (!attach && !interactive) {
            List<String> failed = new ArrayList<>();
            int code = Each.run(ctx, containers, c -> {
                try {
                    api.post(Query.path("/containers/%s/start", c));
                } catch (java.io.IOException e) {
                    failed.add(c);
                    throw e;
                }
                return c;
            });
            if (!failed.isEmpty()) {
                ctx.err().println("Error: failed to start containers: " + String.join(", ", failed)); // docker's summary
            }
            return code;
        }
        if (containers.size() > 1) {
            throw CliFailure.of("you cannot start and attach multiple containers at once", 1);
        }
        JsonNode info = api.get(Query.path("/containers/%s/json", containers.getFirst()));
        String id = info.path("Id").asText();
        boolean tty = info.path("Config").path("Tty").asBoolean();
        List<String> streams = new ArrayList<>(List.of("stdout", "stderr"));
        if (interactive && info.path("Config").path("OpenStdin").asBoolean()) {
            streams.addFirst("stdin");
        }
        AttachFlow.Settings s = new AttachFlow.Settings(tty, streams, "next-exit", detachKeys, true);
        return AttachFlow.run(api, ctx, id, s, () -> api.post(Query.path("/containers/%s/start", id)));
    }
}

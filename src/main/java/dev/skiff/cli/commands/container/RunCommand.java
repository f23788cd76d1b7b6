package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** docker run: create, attach, wait, start, stream, and exit with the container's code. */
@Command(name = "run", customSynopsis = "[OPTIONS] IMAGE [COMMAND] [ARG...]",
        description = "Create and run a new container from an image")
public final class RunCommand extends ApiCommand {
    @Mixin
    RunOptions options;

    @Option(names = {"-d", "--detach"}, description = "Run container in background and print container ID")
    boolean detach;

    @Option(names = "--rm", description = "Automatically remove the container and its associated anonymous volumes when it exits")
    boolean rm;

    @Option(names = "--sig-proxy", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Proxy received signals to the process (default true)")
    boolean sigProxy;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    RunCommand(CliContext ctx) {
        super(ctx);
    }

    /** The create body these flags make; tests read it. */
    public Map<String, Object> createBody() {
        int[] console = options.tty && ctx.terminal().stdoutIsTerminal() ? ctx.terminal().size().orElse(null) : null;
        return CreateBody.build(options, ctx.env(), rm, detach, console);
    }

    @Override
    protected int run(Api api) throws Exception {
        if (detach && !options.attach.isEmpty()) {
            throw CliFailure.of("conflicting options: cannot specify both --attach and --detach", 1);
        }
        if (!detach && options.tty && options.attachedStreams(false).contains("stdin") && !ctx.terminal().stdinIsTerminal()) {
            throw CliFailure.of("the input device is not a TTY", 1);
        }
        String id = ContainerCreator.create(api, ctx, options, createBody());
        if (detach) {
            start(api, id);
            ctx.out().println(id);
            return 0;
        }
        List<String> streams = options.attachedStreams(false);
        AttachFlow.Settings s = new AttachFlow.Settings(options.tty, streams, rm ? "removed" : "next-exit",
                detachKeys, sigProxy);
        return AttachFlow.run(api, ctx, id, s, () -> start(api, id));
    }

    private void start(Api api, String id) throws IOException {
        try {
            api.post(Query.path("/containers/%s/start", id));
        } catch (ApiException e) {
            throw CliFailure.of(failureMessage("Error response from daemon: " + e.getMessage()), AttachFlow.startFailureCode(e));
        }
    }

    @Override
    public int failureExitCode() {
        return 125;
    }

    @Override
    public String failureMessage(String message) {
        return message.startsWith("skiff: ") ? message
                : "skiff: " + message + "\n\nRun '" + spec.qualifiedName() + " --help' for more information";
    }
}

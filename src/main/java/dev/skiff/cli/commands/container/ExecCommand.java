package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.HijackedConnection;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.io.AttachedStreams;
import dev.skiff.cli.io.SignalProxy;
import dev.skiff.sys.DetachKeys;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker exec: create the exec, hijack its start, then exit with the process's exit code. */
@Command(name = "exec", customSynopsis = "[OPTIONS] CONTAINER COMMAND [ARG...]", description = "Execute a command in a running container")
public final class ExecCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "CONTAINER")
    String container;

    @Parameters(index = "1..*", paramLabel = "COMMAND", arity = "1..*")
    List<String> command = new ArrayList<>();

    @Option(names = {"-d", "--detach"}, description = "Detached mode: run command in the background")
    boolean detach;

    @Option(names = "--detach-keys", paramLabel = "string", description = "Override the key sequence for detaching a container")
    String detachKeys;

    @Option(names = {"-e", "--env"}, paramLabel = "list", description = "Set environment variables")
    List<String> env = new ArrayList<>();

    @Option(names = "--env-file", paramLabel = "list", description = "Read in a file of environment variables")
    List<String> envFiles = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, description = "Keep STDIN open even if not attached")
    boolean interactive;

    @Option(names = "--privileged", description = "Give extended privileges to the command")
    boolean privileged;

    @Option(names = {"-t", "--tty"}, description = "Allocate a pseudo-TTY")
    boolean tty;

    @Option(names = {"-u", "--user"}, paramLabel = "string", description = "Username or UID (format: \"<name|uid>[:<group|gid>]\")")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "string", description = "Working directory inside the container")
    String workdir;

    ExecCommand(CliContext ctx) {
        super(ctx);
    }

    /** The body of POST /containers/{id}/exec, as docker sends it. */
    Map<String, Object> execConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("User", user == null ? "" : user);
        c.put("Privileged", privileged);
        c.put("Tty", tty);
        c.put("AttachStdin", interactive && !detach);
        c.put("AttachStderr", !detach);
        c.put("AttachStdout", !detach);
        c.put("Detach", detach);
        c.put("DetachKeys", detachKeys == null ? "" : detachKeys);
        // the daemon sizes the exec's pty from the start, as docker asks it to
        c.put("ConsoleSize", tty ? ctx.terminal().size().map(hw -> List.of(hw[0], hw[1])).orElse(null) : null);
        List<String> all = new ArrayList<>();
        for (String f : envFiles) {
            all.addAll(CreateBody.keyValueLines(f, "--env-file", false));
        }
        for (String e : env) {
            CreateBody.checkEnv(e);
            String v = e.contains("=") ? null : ctx.env().get(e);
            all.add(v == null ? e : e + "=" + v);
        }
        c.put("Env", all.isEmpty() ? null : all);
        c.put("WorkingDir", workdir == null ? "" : workdir);
        c.put("Cmd", List.copyOf(command));
        return c;
    }

    @Override
    protected int run(Api api) throws Exception {
        // as docker: the options (-e, --env-file) are read first, then a missing container is reported before any
        // TTY complaint, and no exec is created for either
        var config = execConfig();
        api.get(Query.path("/containers/%s/json", container));
        if (!detach && tty && interactive && !ctx.terminal().stdinIsTerminal()) {
            throw dev.skiff.cli.commands.CliFailure.of("the input device is not a TTY", 1);
        }
        JsonNode created = api.post(Query.path("/containers/%s/exec", container), config);
        String execId = created.path("Id").asText();
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("Detach", detach);
        start.put("Tty", tty);
        if (detach) {
            api.post(Query.path("/exec/%s/start", execId), start);
            return 0;
        }
        try (HijackedConnection conn = api.hijack(ApiRequest.postJson(Query.path("/exec/%s/start", execId).build(), start))) {
            if (tty) {
                AttachFlow.resize(api, ctx, "/exec/%s/resize", execId);
            }
            boolean raw = tty && interactive && ctx.terminal().stdinIsTerminal();
            AutoCloseable rawMode = raw ? ctx.terminal().makeRaw() : () -> { };
            SignalProxy winch = raw ? SignalProxy.onWindowChange(() -> AttachFlow.resize(api, ctx, "/exec/%s/resize", execId)) : null;
            boolean detached;
            try {
                // the docker CLI watches for the detach keys itself on a TTY session, and so does this
                detached = AttachedStreams.pump(conn, interactive ? ctx.in() : null, tty, ctx.out(), ctx.err(),
                        tty && interactive ? DetachKeys.parse(detachKeys) : null);
            } finally {
                if (winch != null) {
                    winch.close();
                }
                rawMode.close();
            }
            if (detached) {
                ctx.err().println(AttachedStreams.DETACHED);
                return 0;
            }
        }
        JsonNode inspect = api.get(Query.path("/exec/%s/json", execId));
        return inspect.path("ExitCode").asInt(0);
    }
}

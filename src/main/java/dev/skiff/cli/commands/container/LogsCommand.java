package dev.skiff.cli.commands.container;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.Timestamps;
import dev.skiff.cli.io.StdStreams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker logs: a TTY container's log is one raw stream, any other is stdcopy-multiplexed. */
@Command(name = "logs", customSynopsis = "[OPTIONS] CONTAINER", description = "Fetch the logs of a container")
public final class LogsCommand extends ApiCommand {
    @Parameters(paramLabel = "CONTAINER", arity = "1")
    String container;

    @Option(names = "--details", description = "Show extra details provided to logs")
    boolean details;

    @Option(names = {"-f", "--follow"}, description = "Follow log output")
    boolean follow;

    @Option(names = "--since", paramLabel = "string", description = "Show logs since timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String since;

    @Option(names = {"-n", "--tail"}, paramLabel = "string", description = "Number of lines to show from the end of the logs (default \"all\")")
    String tail = "all";

    @Option(names = {"-t", "--timestamps"}, description = "Show timestamps")
    boolean timestamps;

    @Option(names = "--until", paramLabel = "string", description = "Show logs before a timestamp (e.g. \"2013-01-02T13:23:37Z\") or relative (e.g. \"42m\" for 42 minutes)")
    String until;

    LogsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        com.fasterxml.jackson.databind.JsonNode info = api.get(Query.path("/containers/%s/json", container));
        boolean tty = info.path("Config").path("Tty").asBoolean();
        Query q = Query.path("/containers/%s/logs", info.path("Id").asText(container))
                .param("stdout", true).param("stderr", true)
                .param("since", Timestamps.toApi(since, ctx.clock().instant(), "since"))
                .param("until", Timestamps.toApi(until, ctx.clock().instant(), "until"))
                .param("timestamps", timestamps).param("follow", follow)
                .param("tail", tail).param("details", details);
        try (ApiResponse r = api.stream(ApiRequest.get(q.build()))) {
            if (tty) {
                StdStreams.copy(r.body(), ctx.out());
            } else {
                StdStreams.demux(r.body(), ctx.out(), ctx.err());
            }
        }
        return 0;
    }
}

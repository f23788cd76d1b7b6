package dev.skiff.cli.commands.image;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.JsonMessages;
import dev.skiff.cli.commands.Query;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker load: an image archive from -i or stdin (never from a terminal). */
@Command(name = "load", customSynopsis = "[OPTIONS]", description = "Load an image from a tar archive or STDIN")
public final class LoadCommand extends ApiCommand {
    @Option(names = {"-i", "--input"}, paramLabel = "string", description = "Read from tar archive file, instead of STDIN")
    String input;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the load output")
    boolean quiet;

    @Option(names = "--platform", paramLabel = "string",
            description = "Load only the given platform variant. Formatted as \"os[/arch[/variant]]\" (e.g., \"linux/amd64\")")
    String platform;

    LoadCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        InputStream body;
        if (input == null) {
            if (ctx.terminal().stdinIsTerminal()) {
                throw CliFailure.of("requested load from stdin, but stdin is empty", 1);
            }
            body = ctx.in();
        } else {
            try {
                body = Files.newInputStream(Path.of(input));
            } catch (NoSuchFileException e) {
                throw CliFailure.of("open " + input + ": no such file or directory", 1);
            }
        }
        // progress bars need a terminal; docker asks for quiet output otherwise
        boolean q1 = quiet || !ctx.terminal().stdoutIsTerminal();
        Query q = Query.path("/images/load").param("quiet", q1).param("platform", platform);
        try (ApiResponse r = api.upload(q, body, "application/x-tar")) {
            JsonMessages.print(r.body(), ctx.out(), ctx.terminal().stdoutIsTerminal());
        } finally {
            if (body != ctx.in()) {
                body.close();
            }
        }
        return 0;
    }
}

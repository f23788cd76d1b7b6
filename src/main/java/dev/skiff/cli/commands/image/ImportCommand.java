package dev.skiff.cli.commands.image;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
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
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker import: a rootfs tarball (file, URL or "-" for stdin) becomes a one-layer image. */
@Command(name = "import", customSynopsis = "[OPTIONS] file|URL|- [REPOSITORY[:TAG]]",
        description = "Import the contents from a tarball to create a filesystem image")
public final class ImportCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "file|URL|-")
    String source;

    @Parameters(index = "1", paramLabel = "REPOSITORY[:TAG]", arity = "0..1")
    String reference;

    @Option(names = {"-c", "--change"}, paramLabel = "list", description = "Apply Dockerfile instruction to the created image")
    List<String> changes = new ArrayList<>();

    @Option(names = {"-m", "--message"}, paramLabel = "string", description = "Set commit message for imported image")
    String message;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    ImportCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        boolean url = source.startsWith("http://") || source.startsWith("https://");
        Query q = Query.path("/images/create").param("fromSrc", url ? source : "-");
        // docker sends the whole reference as repo and lets the daemon split the tag
        q.param("repo", reference).param("message", message).param("platform", platform).params("changes", changes);
        ApiRequest request = ApiRequest.post(q.build());
        InputStream body = null;
        if (!url) {
            body = source.equals("-") ? ctx.in() : open(source);
            request = request.withBody(body, "application/x-tar");
        }
        try (ApiResponse r = api.stream(request)) {
            JsonMessages.print(r.body(), ctx.out(), ctx.terminal().stdoutIsTerminal());
        } finally {
            if (body != null && body != ctx.in()) {
                body.close();
            }
        }
        return 0;
    }

    private static InputStream open(String file) throws java.io.IOException {
        try {
            return Files.newInputStream(Path.of(file));
        } catch (NoSuchFileException e) {
            throw CliFailure.of("open " + file + ": no such file or directory", 1);
        }
    }
}

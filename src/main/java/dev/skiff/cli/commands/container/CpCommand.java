package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.client.BodyWriter;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.io.TarFiles;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** docker cp in both directions, with "-" for a tar stream on stdin or stdout. */
@Command(name = "cp", customSynopsis = "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tskiff cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
        description = {"Copy files/folders between a container and the local filesystem", "",
            "Use '-' as the source to read a tar archive from stdin", "and extract it to a directory destination in a container.",
            "Use '-' as the destination to stream a tar archive of a", "container source to stdout."})
public final class CpCommand extends ApiCommand {
    private static final long MODE_DIR = 1L << 31;

    @Parameters(index = "0", paramLabel = "SRC")
    String source;

    @Parameters(index = "1", paramLabel = "DEST")
    String destination;

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy. Progress output is automatically "
            + "suppressed if no terminal is attached")
    boolean quiet;

    CpCommand(CliContext ctx) {
        super(ctx);
    }

    /** docker's splitCpArg: "name:path" names a container unless the text starts like a local path. */
    static String[] split(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".") || !arg.contains(":")) {
            return new String[] {null, arg};
        }
        return arg.split(":", 2);
    }

    @Override
    protected int run(Api api) throws Exception {
        String[] src = split(source);
        String[] dst = split(destination);
        if (src[0] != null && dst[0] != null) {
            throw CliFailure.of("copying between containers is not supported", 1);
        }
        if (src[0] == null && dst[0] == null) {
            throw CliFailure.of("must specify at least one container source", 1);
        }
        if (src[0] != null) {
            fromContainer(api, src[0], src[1], dst[1]);
        } else {
            toContainer(api, src[1], dst[0], dst[1]);
        }
        return 0;
    }

    private void fromContainer(Api api, String container, String path, String dest) throws IOException {
        if (followLink) {
            JsonNode link = stat(api, container, path);
            if (!link.path("linkTarget").asText("").isEmpty()) {
                path = link.path("linkTarget").asText();
            }
        }
        try (ApiResponse r = api.stream(ApiRequest.get(Query.path("/containers/%s/archive", container).param("path", path).build()))) {
            JsonNode stat = decodeStat(r);
            if (dest.equals("-")) {
                r.body().transferTo(ctx.out());
                ctx.out().flush();
                return;
            }
            boolean srcIsDir = (stat.path("mode").asLong() & MODE_DIR) != 0;
            String name = stat.path("name").asText();
            Path target = Path.of(dest).toAbsolutePath();
            if (Files.isDirectory(target)) {
                boolean contents = path.endsWith("/.");
                TarFiles.unpack(r.body(), contents ? target.getParent() : target, name, contents ? target.getFileName().toString() : name);
            } else {
                if (Files.exists(target) && srcIsDir) {
                    throw CliFailure.of("cannot copy a directory to a file", 1);
                }
                if (dest.endsWith("/") && !srcIsDir) {
                    throw CliFailure.of("destination directory \"" + dest + "\" does not exist", 1);
                }
                if (!Files.isDirectory(target.getParent())) {
                    throw CliFailure.of("destination directory \"" + target.getParent() + "\" does not exist", 1);
                }
                TarFiles.unpack(r.body(), target.getParent(), name, target.getFileName().toString());
            }
        }
    }

    private JsonNode stat(Api api, String container, String path) throws IOException {
        try (ApiResponse r = api.stream(new ApiRequest("HEAD", Query.path("/containers/%s/archive", container).param("path", path).build(),
                new java.util.LinkedHashMap<>(), null, null))) {
            return decodeStat(r);
        }
    }

    /** X-Docker-Container-Path-Stat: base64 JSON {name, size, mode, mtime, linkTarget}. */
    private static JsonNode decodeStat(ApiResponse r) throws IOException {
        String header = r.header("X-Docker-Container-Path-Stat").orElse("");
        if (header.isEmpty()) {
            return Json.MAPPER.createObjectNode();
        }
        return Json.MAPPER.readTree(new String(Base64.getDecoder().decode(header), StandardCharsets.UTF_8));
    }

    private void toContainer(Api api, String local, String container, String path) throws IOException {
        Query q;
        BodyWriter body;
        AtomicReference<IOException> localFailure = new AtomicReference<>();
        if (local.equals("-")) {
            q = Query.path("/containers/%s/archive", container).param("path", path);
            body = BodyWriter.of(ctx.in());
        } else {
            Path src = Path.of(local);
            if (!Files.exists(src, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw CliFailure.of("lstat " + src.toAbsolutePath() + ": no such file or directory", 1);
            }
            JsonNode dstStat = statOrNull(api, container, path);
            boolean dstIsDir = dstStat != null && (dstStat.path("mode").asLong() & MODE_DIR) != 0;
            String parent;
            String rootName;
            if (dstIsDir) {
                parent = path;
                rootName = local.endsWith("/.") ? "." : src.toAbsolutePath().normalize().getFileName().toString();
            } else {
                if (dstStat != null && Files.isDirectory(src)) {
                    throw CliFailure.of("cannot copy a directory to a file", 1);
                }
                int slash = path.replaceAll("/+$", "").lastIndexOf('/');
                parent = slash <= 0 ? "/" : path.substring(0, slash);
                rootName = path.replaceAll("/+$", "").substring(slash + 1);
            }
            q = Query.path("/containers/%s/archive", container).param("path", parent);
            body = pack(src, rootName, localFailure);
        }
        q.param("noOverwriteDirNonDir", true).param("copyUIDGID", archive);
        try (ApiResponse r = api.stream(new ApiRequest("PUT", q.build(), new java.util.LinkedHashMap<>(), null, null)
                .withBody(body, "application/x-tar"))) {
            r.body().readAllBytes();
        } catch (IOException e) {
            if (localFailure.get() == null) {
                throw e;
            }
            // the upload broke off because a local file could not be read: say which
            throw CliFailure.of("reading " + local + " failed: " + localFailure.get().getMessage(), 1);
        }
    }

    private JsonNode statOrNull(Api api, String container, String path) throws IOException {
        try {
            return stat(api, container, path);
        } catch (ApiException e) {
            if (e.status() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The tar of {@code src}, written straight into the upload as it is sent. */
    private BodyWriter pack(Path src, String rootName, AtomicReference<IOException> failure) {
        return out -> {
            try {
                TarFiles.pack(src, rootName, out, followLink);
            } catch (IOException e) {
                failure.set(e);
                throw e;
            }
        };
    }
}

package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Names;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.registry.ImagePull;
import java.io.IOException;
import java.util.Map;

/** POST /containers/create for run and create, with docker's "Unable to find image" message. */
final class ContainerCreator {
    private ContainerCreator() {
    }

    /**
     * Creates the container and returns its ID; prints the daemon's warnings. With --cidfile the ID goes to that file,
     * which must not exist yet (docker's guard against two containers writing one file) and is removed again when
     * the create fails.
     */
    static String create(Api api, CliContext ctx, RunOptions o, Map<String, Object> body) throws IOException {
        java.nio.file.Path cidfile = o.cidfile == null || o.cidfile.isEmpty() ? null : java.nio.file.Path.of(o.cidfile);
        if (cidfile != null) {
            try {
                java.nio.file.Files.createFile(cidfile);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // the command words it: docker run's "docker: ..." and 125, docker create's plain error and 1
                throw new IOException("container ID file found, make sure the other container isn't running or delete "
                        + o.cidfile);
            } catch (IOException e) {
                throw new IOException("failed to create the container ID file: " + e.getMessage(), e);
            }
        }
        boolean written = false;
        try {
            String id = createContainer(api, ctx, o, body);
            if (cidfile != null) {
                java.nio.file.Files.writeString(cidfile, id);
            }
            written = true;
            return id;
        } finally {
            if (cidfile != null && !written) {
                java.nio.file.Files.deleteIfExists(cidfile);
            }
        }
    }

    private static String createContainer(Api api, CliContext ctx, RunOptions o, Map<String, Object> body) throws IOException {
        java.io.PrintStream pullOut = o.quiet ? new java.io.PrintStream(java.io.OutputStream.nullOutputStream()) : ctx.err();
        Query q = Query.path("/containers/create").param("name", o.name).param("platform", o.platform);
        String policy = o.pull == null ? "missing" : o.pull;
        if (!java.util.Set.of("always", "missing", "never").contains(policy)) {
            throw CliFailure.invalid("invalid pull option: '" + policy + "': must be one of \"always\", \"missing\" or \"never\"");
        }
        if (policy.equals("always")) {
            ImagePull.pull(api, ctx, o.image, o.platform, false, pullOut);
        }
        for (String dns : o.dns) {
            // the docker CLI's own warning: a loopback resolver is the container's, not the host's
            if (NetworkValues.isIp(dns) && java.net.InetAddress.ofLiteral(dns).isLoopbackAddress()) {
                ctx.err().println("WARNING: Localhost DNS (" + dns + ") may fail in containers.");
            }
        }
        JsonNode created;
        try {
            created = api.post(q, body);
        } catch (ApiException e) {
            if (e.status() == 404 && e.getMessage() != null
                    && e.getMessage().toLowerCase(java.util.Locale.ROOT).startsWith("no such image")
                    && policy.equals("missing")) {
                // docker's order: say so, pull with the progress on stderr, then create again
                pullOut.println("Unable to find image '" + Names.withDefaultTag(o.image) + "' locally");
                ImagePull.pull(api, ctx, o.image, o.platform, false, pullOut);
                created = api.post(q, body);
            } else {
                throw e;
            }
        }
        for (JsonNode w : created.path("Warnings")) {
            ctx.err().println("WARNING: " + w.asText());
        }
        String id = created.path("Id").asText("");
        if (id.isEmpty()) {
            throw CliFailure.of("skiff: the daemon created a container but returned no ID", 125);
        }
        return id;
    }
}

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

    /** Creates the container and returns its ID; prints the daemon's warnings. */
    static String create(Api api, CliContext ctx, RunOptions o, Map<String, Object> body) throws IOException {
        Query q = Query.path("/containers/create").param("name", o.name).param("platform", o.platform);
        String policy = o.pull == null ? "missing" : o.pull;
        if (!java.util.Set.of("always", "missing", "never").contains(policy)) {
            throw CliFailure.of("invalid pull option: '" + policy + "': must be one of \"always\", \"missing\" or \"never\"", 125);
        }
        if (policy.equals("always")) {
            ImagePull.pull(api, ctx, o.image, o.platform, false, ctx.err());
        }
        JsonNode created;
        try {
            created = api.post(q, body);
        } catch (ApiException e) {
            if (e.status() == 404 && e.getMessage() != null
                    && e.getMessage().toLowerCase(java.util.Locale.ROOT).startsWith("no such image")
                    && policy.equals("missing")) {
                // docker's order: say so, pull with the progress on stderr, then create again
                ctx.err().println("Unable to find image '" + Names.withDefaultTag(o.image) + "' locally");
                ImagePull.pull(api, ctx, o.image, o.platform, false, ctx.err());
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

package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Names;
import dev.skiff.cli.commands.Query;
import java.io.IOException;
import java.util.Map;

/** POST /containers/create for run and create, with docker's "Unable to find image" message. */
final class ContainerCreator {
    private ContainerCreator() {
    }

    /** Creates the container and returns its ID; prints the daemon's warnings. */
    static String create(Api api, CliContext ctx, RunOptions o, Map<String, Object> body) throws IOException {
        Query q = Query.path("/containers/create").param("name", o.name).param("platform", o.platform);
        JsonNode created;
        try {
            created = api.post(q, body);
        } catch (ApiException e) {
            if (e.status() == 404 && e.getMessage() != null
                    && e.getMessage().toLowerCase(java.util.Locale.ROOT).startsWith("no such image")
                    && !"never".equals(o.pull)) {
                // Pulling arrives with the registry client; until then a missing image ends here.
                ctx.err().println("Unable to find image '" + Names.withDefaultTag(o.image) + "' locally");
            }
            throw e;
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

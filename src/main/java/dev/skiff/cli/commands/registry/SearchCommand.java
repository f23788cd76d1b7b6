package dev.skiff.cli.commands.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Formatter;
import dev.skiff.cli.format.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * docker search: asks the daemon (GET /images/search), which asks the registry the term names ("busybox": Docker
 * Hub; "localhost:5000/app": that registry, through its catalog when it has no search API).
 */
@Command(name = "search", customSynopsis = "[OPTIONS] TERM", description = "Search for an image in a registry")
public final class SearchCommand extends ApiCommand {
    private static final String DEFAULT_TABLE = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";
    private static final Map<String, String> HEADERS = Map.of("Name", "NAME", "Description", "DESCRIPTION",
            "StarCount", "STARS", "IsOfficial", "OFFICIAL", "IsAutomated", "AUTOMATED");
    private static final int DESCRIPTION_WIDTH = 45;

    @Parameters(index = "0", paramLabel = "TERM")
    String term;

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = "Pretty-print search using a Go template")
    String format;

    @Option(names = "--limit", paramLabel = "int", description = "Max number of search results")
    Integer limit;

    @Option(names = "--no-trunc", description = "Don't truncate output")
    boolean noTrunc;

    SearchCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        Query q = Query.path("/images/search").param("term", term).param("limit", limit)
                .param("filters", Filters.toJson(filters));
        String registry = term.contains("/") ? RegistryAuth.registryOf(term) : "docker.io";
        JsonNode results = api.json(ApiRequest.get(q.build()).withHeader("X-Registry-Auth",
                RegistryAuth.header(ctx, registry).orElse("e30")));
        List<Row> rows = new ArrayList<>();
        for (JsonNode r : results) {
            String description = r.path("description").asText("").replace('\n', ' ');
            String shown = noTrunc || description.length() <= DESCRIPTION_WIDTH ? description
                    : description.substring(0, DESCRIPTION_WIDTH - 1) + "…";
            rows.add(new Row("registry.searchContext")
                    .field("Name", () -> r.path("name").asText(""))
                    .field("Description", () -> shown)
                    .field("StarCount", () -> Integer.toString(r.path("star_count").asInt()))
                    .field("IsOfficial", () -> r.path("is_official").asBoolean() ? "[OK]" : "")
                    .field("IsAutomated", () -> r.path("is_automated").asBoolean() ? "[OK]" : ""));
        }
        ctx.out().print(Formatter.render(format, DEFAULT_TABLE, HEADERS, rows));
        return 0;
    }
}

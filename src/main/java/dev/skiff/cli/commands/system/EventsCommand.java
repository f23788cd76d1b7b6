package dev.skiff.cli.commands.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.ApiResponse;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.ApiCommand;
import dev.skiff.cli.commands.FormatHelp;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.commands.Timestamps;
import dev.skiff.cli.format.Filters;
import dev.skiff.cli.format.Template;
import dev.skiff.sys.Json;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** docker events: streams the daemon's events until interrupted (or until --until passes). */
@Command(name = "events", customSynopsis = "[OPTIONS]", description = "Get real time events from the server")
public final class EventsCommand extends ApiCommand {
    private static final DateTimeFormatter RFC3339_NANO_FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    @Option(names = {"-f", "--filter"}, paramLabel = "filter", description = "Filter output based on conditions provided")
    List<String> filters = new ArrayList<>();

    @Option(names = "--format", paramLabel = "string", description = FormatHelp.JSON)
    String format;

    @Option(names = "--since", paramLabel = "string", description = "Show all events created since timestamp")
    String since;

    @Option(names = "--until", paramLabel = "string", description = "Stream events until this timestamp")
    String until;

    EventsCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected int run(Api api) throws Exception {
        Instant now = ctx.clock().instant();
        Query q = Query.path("/events").param("since", Timestamps.toApi(since, now))
                .param("until", Timestamps.toApi(until, now)).param("filters", Filters.toJson(filters));
        Template template = format == null || format.isEmpty() ? null
                : Template.parse(format.equals("json") ? "{{json .}}" : format);
        try (ApiResponse r = api.stream(ApiRequest.get(q.build()));
             MappingIterator<JsonNode> events = Json.MAPPER.readerFor(JsonNode.class).readValues(r.body())) {
            while (events.hasNextValue()) {
                JsonNode e = events.nextValue();
                if (template != null) {
                    ctx.out().println(template.execute(Json.MAPPER.convertValue(e, Object.class)));
                } else {
                    ctx.out().println(pretty(e));
                }
                ctx.out().flush();
            }
        }
        return 0;
    }

    /** docker's prettyPrintEvent: "time type action id (k=v, ...)". */
    static String pretty(JsonNode e) {
        StringBuilder b = new StringBuilder();
        long nanos = e.path("timeNano").asLong();
        Instant t = nanos != 0 ? Instant.ofEpochSecond(0, nanos) : Instant.ofEpochSecond(e.path("time").asLong());
        if (nanos != 0 || e.path("time").asLong() != 0) {
            b.append(RFC3339_NANO_FIXED.format(t.atZone(ZoneId.systemDefault()))).append(' ');
        }
        JsonNode actor = e.path("Actor");
        b.append(e.path("Type").asText()).append(' ').append(e.path("Action").asText()).append(' ').append(actor.path("ID").asText());
        Map<String, String> attrs = new TreeMap<>();
        actor.path("Attributes").fields().forEachRemaining(a -> attrs.put(a.getKey(), a.getValue().asText()));
        if (!attrs.isEmpty()) {
            List<String> parts = new ArrayList<>();
            attrs.forEach((k, v) -> parts.add(k + "=" + v));
            b.append(" (").append(String.join(", ", parts)).append(')');
        }
        return b.toString();
    }
}

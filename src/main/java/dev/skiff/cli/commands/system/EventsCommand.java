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
                    String line;
                    try {
                        line = template.execute(message(Json.MAPPER.convertValue(e, Object.class)));
                    } catch (dev.skiff.cli.format.TemplateException ex) {
                        // the docker CLI's words and exit code for a template its events.Message cannot run
                        throw dev.skiff.cli.commands.CliFailure.of("Error parsing format: " + ex.getMessage(), 64);
                    }
                    ctx.out().println(line);
                } else {
                    ctx.out().println(pretty(e));
                }
                ctx.out().flush();
            }
        }
        return 0;
    }

    /** The docker CLI's events.Message (and its Actor) over an event's JSON, for --format. */
    @SuppressWarnings("unchecked")
    static Object message(Object raw) {
        if (!(raw instanceof java.util.Map<?, ?> m)) {
            return raw;
        }
        // Go's zero values where the daemon left a field out (status, id and from are gone since API 1.22)
        java.util.Map<String, Object> event = new java.util.LinkedHashMap<>((java.util.Map<String, Object>) m);
        for (String text : new String[] {"status", "id", "from", "Type", "Action", "scope"}) {
            event.putIfAbsent(text, "");
        }
        event.putIfAbsent("time", 0L);
        event.putIfAbsent("timeNano", 0L);
        java.util.Map<String, Object> actor = event.get("Actor") instanceof java.util.Map<?, ?> a
                ? new java.util.LinkedHashMap<>((java.util.Map<String, Object>) a) : new java.util.LinkedHashMap<>();
        actor.putIfAbsent("ID", "");
        java.util.Map<String, String> actorFields = new java.util.LinkedHashMap<>();
        actorFields.put("ID", "ID");
        actorFields.put("Attributes", "Attributes");
        event.put("Actor", dev.skiff.cli.format.GoTypes.struct("events.Actor", actorFields, actor,
                m.get("Actor") instanceof java.util.Map<?, ?> rawActor ? rawActor : java.util.Map.of()));
        java.util.Map<String, String> fields = new java.util.LinkedHashMap<>();
        for (String[] f : new String[][] {{"Status", "status"}, {"ID", "id"}, {"From", "from"}, {"Type", "Type"},
                {"Action", "Action"}, {"Actor", "Actor"}, {"Scope", "scope"}, {"Time", "time"}, {"TimeNano", "timeNano"}}) {
            fields.put(f[0], f[1]);
        }
        return dev.skiff.cli.format.GoTypes.struct("*events.Message", fields, event, m);
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

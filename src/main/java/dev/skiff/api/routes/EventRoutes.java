package dev.skiff.api.routes;

import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.engine.Event;
import dev.skiff.engine.EventBus;
import dev.skiff.engine.EventFilter;
import dev.skiff.engine.Times;
import dev.skiff.sys.Json;
import java.io.OutputStream;
import java.time.Instant;

/** GET /events: replay of [since, until] from the last 1000 events, then live events as JSON lines. */
public final class EventRoutes {
    private final EventBus events;

    public EventRoutes(EventBus events) {
        this.events = events;
    }

    public void register(Router router) {
        router.add("GET", "/events", this::events);
    }

    private void events(HttpRequest rq, HttpResponse rs) throws Exception {
        Instant since = rq.query("since").filter(s -> !s.isEmpty()).map(Times::parseApiTime).orElse(null);
        Instant until = rq.query("until").filter(s -> !s.isEmpty()).map(Times::parseApiTime).orElse(null);
        if (since != null && until != null && since.isAfter(until)) {
            throw new dev.skiff.errors.InvalidArgumentException("`since` time (" + since.getEpochSecond()
                    + ") cannot be after `until` time (" + until.getEpochSecond() + ")");
        }
        EventFilter filter = new EventFilter(rq.filters());
        try (EventBus.Subscription sub = events.subscribe(since, until, filter);
             OutputStream out = rs.stream(200, "application/json")) {
            out.flush();
            while (!rq.clientGone()) {
                if (until != null && Instant.now().isAfter(until)) {
                    // drain what is queued for the window, then end the stream
                    Event e;
                    while ((e = sub.poll(0)) != null) {
                        write(out, e);
                    }
                    return;
                }
                Event e = sub.poll(500);
                if (e != null) {
                    write(out, e);
                }
            }
        }
    }

    private static void write(OutputStream out, Event e) throws java.io.IOException {
        out.write(Json.MAPPER.writeValueAsBytes(e));
        out.write('\n');
        out.flush();
    }
}

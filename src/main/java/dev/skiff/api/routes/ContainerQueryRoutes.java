package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.engine.Changes;
import dev.skiff.engine.Container;
import dev.skiff.engine.ContainerFilter;
import dev.skiff.engine.ContainerService;
import dev.skiff.engine.Engine;
import dev.skiff.engine.StatsService;
import dev.skiff.engine.TopService;
import dev.skiff.image.Image;
import dev.skiff.sys.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Container list, inspect, top, changes (diff) and stats. */
public final class ContainerQueryRoutes {
    private final Engine engine;
    private final ContainerService containers;
    private final ContainerViews views;

    public ContainerQueryRoutes(Engine engine) {
        this.engine = engine;
        this.containers = engine.containers();
        this.views = new ContainerViews(engine);
    }

    public void register(Router router) {
        router.add("GET", "/containers/json", this::list)
                .add("GET", "/containers/{id}/json", this::inspect)
                .add("GET", "/containers/{id}/top", this::top)
                .add("GET", "/containers/{id}/changes", this::changes)
                .add("GET", "/containers/{id}/stats", this::stats);
    }

    private void inspect(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.get(rq.pathParam("id"));
        ObjectNode o = views.inspect(c, rq.queryBool("size", false));
        if (!dev.skiff.api.http.ApiVersions.atLeast(rq.apiVersion(), "1.45")) {
            oldAliases(o, c);
        }
        rs.json(200, o);
    }

    /**
     * Below API 1.45 a container's short ID and hostname are among its Aliases on each user-defined network, as
     * dockerd's inspect still adds them for those clients (docker-py 5 asks for 1.41) and clients look them up there.
     */
    private static void oldAliases(ObjectNode inspect, Container c) {
        String hostname = c.config().path("Hostname").asText("");
        inspect.path("NetworkSettings").path("Networks").properties().forEach(e -> {
            String network = e.getKey();
            if (network.equals("bridge") || network.equals("host") || network.equals("none")
                    || !(e.getValue() instanceof ObjectNode ep)) {
                return;
            }
            java.util.LinkedHashSet<String> aliases = new java.util.LinkedHashSet<>();
            ep.path("Aliases").forEach(a -> aliases.add(a.asText()));
            aliases.add(c.id().substring(0, 12));
            if (!hostname.isEmpty()) {
                aliases.add(hostname);
            }
            ArrayNode out = ep.putArray("Aliases");
            aliases.forEach(out::add);
        });
    }

    private void list(HttpRequest rq, HttpResponse rs) throws Exception {
        int limit = rq.query("limit").filter(s -> !s.isEmpty()).map(s -> ContainerLifecycleRoutes.parseInt(s, "limit")).orElse(-1);
        ContainerFilter filter = new ContainerFilter(rq.queryBool("all", false), limit, rq.filters());
        List<Container> found = filter.apply(containers.all(), containers::get, this::ancestorMatches,
                containers.health()::status, c -> containers.networking().networkNamesAndIds(c.id()), views::filterPorts);
        boolean size = rq.queryBool("size", false);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        java.util.Map<String, java.util.Optional<String>> imageIds = new java.util.HashMap<>();
        for (Container c : found) {
            out.add(views.summary(c, size, imageIds));
        }
        rs.json(200, out);
    }

    private boolean ancestorMatches(Container c, String ancestor) {
        if (c.imageId().equals(ancestor) || c.imageName().equals(ancestor)
                || c.imageId().startsWith("sha256:" + ancestor) || c.imageId().startsWith(ancestor)) {
            return true;
        }
        return containers.images().find(ancestor).map(Image::id).filter(id -> id.equals(c.imageId())).isPresent();
    }

    private void top(HttpRequest rq, HttpResponse rs) throws Exception {
        TopService.Top top = engine.top().top(rq.pathParam("id"), rq.query("ps_args").orElse(null));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Titles", top.titles());
        out.put("Processes", top.processes());
        rs.json(200, out);
    }

    private void changes(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.get(rq.pathParam("id"));
        List<Changes.Change> diff = Changes.diff(containers.snapshotter().upperDir(c.id()),
                containers.snapshotter().lowerDirs(c.id()));
        rs.json(200, diff);
    }

    /**
     * stream=1 (default): one JSON object per second until the client leaves or the container is removed, empty
     * ones (its name and ID) while it is not running, as dockerd's collector publishes them: `docker stats` of a
     * stopped container keeps going and shows it again once it starts; stream=0: one object, with precpu_stats
     * from a sample a second earlier unless one-shot=1.
     */
    private void stats(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.get(rq.pathParam("id"));
        StatsService.requireKnown(c);
        StatsService stats = engine.stats();
        boolean stream = rq.queryBool("stream", true);
        boolean oneShot = rq.queryBool("one-shot", false);
        if (stream && oneShot) { // dockerd's check and words
            throw new dev.skiff.errors.InvalidArgumentException("cannot have stream=true and one-shot=true");
        }
        if (!c.state().hasProcess() && !stream) {
            rs.json(200, stats.json(c, null, null));
            return;
        }
        if (!stream) {
            StatsService.Sample previous = null;
            if (!oneShot) {
                previous = stats.sample(c);
                Thread.sleep(1000);
            }
            rs.json(200, stats.json(c, stats.sample(containers.get(c.id())), previous));
            return;
        }
        try (OutputStream out = rs.stream(200, "application/json")) {
            StatsService.Sample previous = null;
            while (!rq.clientGone()) {
                Container now;
                try {
                    now = containers.get(c.id());
                } catch (dev.skiff.errors.NotFoundException e) {
                    break; // removed: dockerd closes the stream then
                }
                if (now.state().hasProcess()) {
                    StatsService.Sample sample = stats.sample(now);
                    writeLine(out, stats.json(now, sample, previous));
                    previous = sample;
                } else {
                    writeLine(out, stats.json(now, null, null));
                    previous = null;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static void writeLine(OutputStream out, Object json) throws java.io.IOException {
        out.write(Json.MAPPER.writeValueAsString(json).getBytes(StandardCharsets.UTF_8));
        out.write('\n');
        out.flush();
    }
}

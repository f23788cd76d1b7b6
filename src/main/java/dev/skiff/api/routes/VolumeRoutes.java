package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.BodyTypes;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.engine.volume.Volume;
import dev.skiff.engine.volume.VolumeService;
import dev.skiff.errors.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** /volumes: list with filters, create, inspect, remove (force) and prune, in Docker's JSON shapes. */
public final class VolumeRoutes {
    private final VolumeService volumes;

    public VolumeRoutes(VolumeService volumes) {
        this.volumes = volumes;
    }

    public void register(Router router) {
        router.add("GET", "/volumes", (rq, rs) -> rs.json(200, Map.of(
                        "Volumes", volumes.list(rq.filters()).stream().map(v -> json(v, null)).toList(),
                        "Warnings", List.of())))
                .add("POST", "/volumes/create", this::create)
                .add("POST", "/volumes/prune", (rq, rs) -> {
                    VolumeService.PruneResult r = volumes.prune(rq.filters());
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("VolumesDeleted", r.deleted());
                    out.put("SpaceReclaimed", r.spaceReclaimed());
                    rs.json(200, out);
                })
                .add("GET", "/volumes/{name}", (rq, rs) -> rs.json(200, json(volumes.get(rq.pathParam("name")), null)))
                .add("DELETE", "/volumes/{name}", (rq, rs) -> {
                    volumes.remove(rq.pathParam("name"), rq.queryBool("force", false));
                    rs.empty(204);
                });
    }

    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        JsonNode body = rq.json(JsonNode.class);
        if (body == null || !body.isObject()) {
            throw new InvalidArgumentException("the body of POST /volumes/create must be a JSON object (VolumeCreateOptions)");
        }
        BodyTypes.check("VolumeCreate", body);
        Volume v = volumes.create(body.path("Name").asText(""), body.path("Driver").asText(""),
                strings(body.get("Labels")), strings(body.get("DriverOpts")));
        rs.json(201, json(v, null));
    }

    /** Docker's Volume object; UsageData only where Docker fills it (system df). */
    static Map<String, Object> json(Volume v, VolumeService.Usage usage) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("CreatedAt", v.createdAt());
        o.put("Driver", v.driver());
        // null when empty, as dockerd writes a volume made without any (its maps are nil then)
        o.put("Labels", v.labels() == null || v.labels().isEmpty() ? null : v.labels());
        o.put("Mountpoint", v.mountpoint());
        o.put("Name", v.name());
        o.put("Options", v.options() == null || v.options().isEmpty() ? null : v.options());
        o.put("Scope", "local");
        if (usage != null) {
            o.put("UsageData", Map.of("Size", usage.size(), "RefCount", usage.refCount()));
        }
        return o;
    }

    /** An explicitly created volume shows {} for absent labels and options, as Docker's docs show it. */
    private static Map<String, String> strings(JsonNode n) {
        if (n == null || n.isNull()) {
            return new LinkedHashMap<>();
        }
        if (!n.isObject()) {
            throw new InvalidArgumentException("volume labels and driver options must be JSON objects of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

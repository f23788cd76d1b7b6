package dev.skiff.api.routes;

import dev.skiff.api.http.Router;
import dev.skiff.errors.NotFoundException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network endpoints that clients call as part of wider commands
 * (`docker system prune` prunes networks; Testcontainers lists networks) before those
 * features exist. They answer truthfully about what exists today: the predefined "none" and "host"
 * networks. The networking issue replaces them.
 */
public final class PendingResourceRoutes {
    public void register(Router router) {
        router.add("GET", "/networks", (rq, rs) -> rs.json(200, List.of(network("none", "null"), network("host", "host"))))
                .add("GET", "/networks/{id}", (rq, rs) -> {
                    String id = rq.pathParam("id");
                    if (!id.equals("none") && !id.equals("host")) {
                        throw new NotFoundException("network " + id + " not found");
                    }
                    rs.json(200, network(id, id.equals("none") ? "null" : "host"));
                })
                .add("POST", "/networks/prune", (rq, rs) -> rs.json(200, Map.of("NetworksDeleted", List.of())));
    }

    private static Map<String, Object> network(String name, String driver) {
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("Name", name);
        n.put("Id", name);
        n.put("Created", "0001-01-01T00:00:00Z");
        n.put("Scope", "local");
        n.put("Driver", driver);
        n.put("EnableIPv4", false);
        n.put("EnableIPv6", false);
        n.put("IPAM", Map.of("Driver", "default", "Options", Map.of(), "Config", List.of()));
        n.put("Internal", false);
        n.put("Attachable", false);
        n.put("Ingress", false);
        n.put("ConfigFrom", Map.of("Network", ""));
        n.put("ConfigOnly", false);
        n.put("Containers", Map.of());
        n.put("Options", Map.of());
        n.put("Labels", Map.of());
        return n;
    }
}

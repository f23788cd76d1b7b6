package dev.skiff.api.routes;

import dev.skiff.api.http.Router;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.ServiceUnavailableException;
import java.util.List;

/**
 * What a single-host engine answers for swarm mode and plugins, as dockerd answers on a node outside a swarm: 503
 * with its words for /swarm, /nodes, /services, /tasks, /secrets and /configs (tools such as Portainer read that as
 * "standalone"; a 404 read as a broken daemon), and an empty plugin list. Skiff leaves multi-host scheduling to
 * Kubernetes and has no plugins.
 */
public final class SwarmRoutes {
    static final String NOT_A_MANAGER = "This node is not a swarm manager. Skiff does not run swarm mode: "
            + "docker compose runs multi-container applications on this host, Kubernetes schedules across hosts.";
    private static final List<String> SWARM_PATHS = List.of("/swarm", "/nodes", "/services", "/tasks", "/secrets",
            "/configs");

    public void register(Router router) {
        for (String path : SWARM_PATHS) {
            for (String method : List.of("GET", "POST", "DELETE")) {
                router.add(method, path, (req, res) -> {
                    throw new ServiceUnavailableException(NOT_A_MANAGER);
                });
                router.add(method, path + "/{rest...}", (req, res) -> {
                    throw new ServiceUnavailableException(NOT_A_MANAGER);
                });
            }
        }
        router.add("GET", "/plugins", (req, res) -> res.json(200, List.of()));
        router.add("GET", "/plugins/privileges", (req, res) -> res.json(200, List.of()));
        router.add("GET", "/plugins/{name...}", (req, res) -> {
            throw new NotFoundException("plugin \"" + pluginName(req.path()) + "\" not found (Skiff has no plugins)");
        });
    }

    private static String pluginName(String path) {
        String rest = path.substring(path.indexOf("/plugins/") + "/plugins/".length());
        return rest.endsWith("/json") ? rest.substring(0, rest.length() - "/json".length()) : rest;
    }
}

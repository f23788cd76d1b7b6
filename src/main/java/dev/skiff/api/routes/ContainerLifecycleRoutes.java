package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.http.BodyTypes;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.engine.ContainerService;
import dev.skiff.engine.CreateResult;
import dev.skiff.engine.Engine;
import dev.skiff.engine.PruneService;
import dev.skiff.engine.WaitResult;
import dev.skiff.engine.Waiters;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Container create, start, stop, restart, kill, pause, unpause, wait, remove, rename, update, resize, prune. */
public final class ContainerLifecycleRoutes {
    private final Engine engine;
    private final ContainerService containers;

    public ContainerLifecycleRoutes(Engine engine) {
        this.engine = engine;
        this.containers = engine.containers();
    }

    public void register(Router router) {
        router.add("POST", "/containers/create", this::create)
                .add("POST", "/containers/prune", this::prune)
                .add("POST", "/containers/{id}/start", (rq, rs) -> {
                    containers.start(rq.pathParam("id"));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/stop", (rq, rs) -> {
                    containers.stop(rq.pathParam("id"), timeout(rq), rq.query("signal").orElse(null));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/restart", (rq, rs) -> {
                    containers.restart(rq.pathParam("id"), timeout(rq), rq.query("signal").orElse(null));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/kill", (rq, rs) -> {
                    containers.kill(rq.pathParam("id"), rq.query("signal").orElse(null));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/pause", (rq, rs) -> {
                    containers.pause(rq.pathParam("id"));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/unpause", (rq, rs) -> {
                    containers.unpause(rq.pathParam("id"));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/wait", this::waitFor)
                .add("DELETE", "/containers/{id}", (rq, rs) -> {
                    if (rq.queryBool("link", false)) {
                        throw new InvalidArgumentException("legacy links are not supported: nothing to remove for "
                                + rq.pathParam("id"));
                    }
                    containers.remove(rq.pathParam("id"), rq.queryBool("force", false), rq.queryBool("v", false));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/rename", (rq, rs) -> {
                    containers.rename(rq.pathParam("id"), rq.query("name").orElse(""));
                    rs.empty(204);
                })
                .add("POST", "/containers/{id}/update", (rq, rs) -> {
                    ObjectNode body = rq.json(ObjectNode.class);
                    BodyTypes.check("ContainerUpdate", body);
                    var warnings = containers.update(rq.pathParam("id"), body == null ? JsonNodeFactory.instance.objectNode() : body);
                    rs.json(200, Map.of("Warnings", warnings));
                })
                .add("POST", "/containers/{id}/resize", (rq, rs) -> {
                    var c = containers.get(rq.pathParam("id"));
                    if (!c.state().hasProcess()) {
                        throw new dev.skiff.errors.ConflictException("Container " + c.id() + " is not running");
                    }
                    containers.runtime().resize(c.id(), intParam(rq, "h"), intParam(rq, "w"));
                    engine.events().publishContainer(c, "resize", Map.of("height", Integer.toString(intParam(rq, "h")),
                            "width", Integer.toString(intParam(rq, "w"))));
                    rs.empty(200);
                });
    }

    private void create(HttpRequest rq, HttpResponse rs) throws Exception {
        ObjectNode body = rq.json(ObjectNode.class);
        if (body == null) {
            throw new InvalidArgumentException("config cannot be empty in order to create a container");
        }
        BodyTypes.check("ContainerCreate", body);
        String platform = rq.query("platform").orElse("").strip();
        if (!platform.isEmpty()) {
            checkPlatform(body.path("Image").asText(""), platform);
        }
        java.util.Optional<String> macWarning = MacAddressCompat.apply(body, rq.apiVersion());
        CreateResult r = containers.create(rq.query("name").orElse(null), body);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Id", r.id());
        java.util.List<String> warnings = new java.util.ArrayList<>();
        macWarning.ifPresent(warnings::add);
        warnings.addAll(r.warnings());
        out.put("Warnings", warnings);
        rs.json(201, out);
    }

    /**
     * docker create/run --platform: a local image of another platform is not used. dockerd answers 404 with these
     * words, and the docker CLI then pulls the image for the platform asked for.
     */
    private void checkPlatform(String imageName, String platform) {
        String wanted = dev.skiff.registry.client.RegistryClient.normalizedPlatform(platform);
        containers.images().find(imageName).ifPresent(image -> {
            var c = image.config();
            String os = c == null || c.os() == null ? "linux" : c.os();
            String arch = c == null || c.architecture() == null ? "amd64" : c.architecture();
            String variant = c == null || c.variant() == null ? "" : c.variant();
            String actual = dev.skiff.registry.client.RegistryClient.normalizedPlatform(os + "/" + arch
                    + (variant.isEmpty() ? "" : "/" + variant));
            if (!samePlatform(actual, wanted)) {
                throw new dev.skiff.errors.NotFoundException("image with reference " + imageName + " was found but"
                        + " does not match the specified platform: wanted " + wanted + ", actual: " + actual);
            }
        });
    }

    /** The same OS and architecture; variants count only when both name one (an image without one runs on all). */
    static boolean samePlatform(String actual, String wanted) {
        String[] a = actual.split("/");
        String[] w = wanted.split("/");
        return a[0].equals(w[0]) && a[1].equals(w[1]) && (a.length < 3 || w.length < 3 || a[2].equals(w[2]));
    }

    /** Answers the headers as soon as the wait is registered (docker run starts the container only then). */
    private void waitFor(HttpRequest rq, HttpResponse rs) throws Exception {
        CompletableFuture<WaitResult> f = containers.waitFor(rq.pathParam("id"),
                Waiters.Condition.parse(rq.query("condition").orElse("")));
        try (OutputStream out = rs.stream(200, "application/json")) {
            out.flush();
            WaitResult r = null;
            while (r == null) {
                try {
                    r = f.get(1, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    if (rq.clientGone()) {
                        f.cancel(false);
                        return;
                    }
                } catch (ExecutionException e) {
                    r = new WaitResult(-1, e.getCause().getMessage());
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("StatusCode", r.statusCode());
            body.put("Error", r.error() == null ? null : Map.of("Message", r.error()));
            out.write(Json.MAPPER.writeValueAsString(body).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
    }

    private void prune(HttpRequest rq, HttpResponse rs) throws Exception {
        PruneService.Result r = engine.prune().prune(rq.filters());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ContainersDeleted", r.deleted().isEmpty() ? null : r.deleted());
        out.put("SpaceReclaimed", r.spaceReclaimed());
        rs.json(200, out);
    }

    private static Integer timeout(HttpRequest rq) {
        return rq.query("t").filter(s -> !s.isEmpty()).map(s -> parseInt(s, "t")).orElse(null);
    }

    static int intParam(HttpRequest rq, String name) {
        return parseInt(rq.query(name).orElse("0"), name);
    }

    static int parseInt(String s, String name) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid value for " + name + ": " + s + " (a whole number is expected)");
        }
    }
}

package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.http.BodyTypes;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.engine.CommitService;
import dev.skiff.engine.Engine;
import dev.skiff.engine.PathStat;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.Image;
import dev.skiff.sys.Json;
import java.io.OutputStream;
import java.util.Base64;
import java.util.Map;

/** docker cp (archive HEAD/GET/PUT), docker export and docker commit. */
public final class ContainerArchiveRoutes {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final Engine engine;

    public ContainerArchiveRoutes(Engine engine) {
        this.engine = engine;
    }

    public void register(Router router) {
        router.add("GET", "/containers/{id}/archive", this::getArchive)
                .add("HEAD", "/containers/{id}/archive", this::getArchive)
                .add("PUT", "/containers/{id}/archive", this::putArchive)
                .add("GET", "/containers/{id}/export", (rq, rs) -> {
                    String id = engine.containers().get(rq.pathParam("id")).id();
                    try (OutputStream out = rs.stream(200, "application/x-tar")) {
                        engine.archives().export(id, out);
                    }
                })
                .add("POST", "/commit", this::commit);
    }

    private static String path(HttpRequest rq) {
        String p = rq.query("path").orElse("");
        if (p.isEmpty()) {
            throw new InvalidArgumentException("path is empty: say which path in the container to copy");
        }
        return p;
    }

    static String encode(PathStat st) throws java.io.IOException {
        return Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(st));
    }

    private void getArchive(HttpRequest rq, HttpResponse rs) throws Exception {
        String id = rq.pathParam("id");
        String path = path(rq);
        if (rq.method().equals("HEAD")) {
            PathStat st = engine.archives().stat(id, path);
            rs.header(STAT_HEADER, encode(st)).empty(200);
            return;
        }
        OutputStream[] opened = new OutputStream[1];
        try {
            engine.archives().get(id, path, st -> {
                rs.header(STAT_HEADER, encode(st));
                opened[0] = rs.stream(200, "application/x-tar");
                return opened[0];
            });
        } finally {
            if (opened[0] != null) {
                opened[0].close();
            }
        }
    }

    private void putArchive(HttpRequest rq, HttpResponse rs) throws Exception {
        engine.archives().put(rq.pathParam("id"), path(rq), rq.body(), rq.queryBool("noOverwriteDirNonDir", false),
                rq.queryBool("copyUIDGID", false));
        rs.empty(200);
    }

    private void commit(HttpRequest rq, HttpResponse rs) throws Exception {
        String container = rq.query("container").orElse("");
        if (container.isEmpty()) {
            throw new InvalidArgumentException("container is empty: say which container to commit");
        }
        String repo = rq.query("repo").orElse("");
        String tag = rq.query("tag").orElse("");
        String reference = repo.isEmpty() ? null : tag.isEmpty() ? repo : repo + ":" + tag;
        ObjectNode config = rq.json(com.fasterxml.jackson.databind.JsonNode.class) instanceof ObjectNode o ? o : null;
        BodyTypes.check("ContainerCommit", config);
        Image image = engine.commits().commit(container, new CommitService.Options(reference,
                rq.query("comment").orElse(""), rq.query("author").orElse(""), rq.queryBool("pause", true),
                rq.queryAll("changes"), config));
        rs.json(201, Map.of("Id", image.id()));
    }
}

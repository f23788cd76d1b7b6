package dev.skiff.api.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.api.http.BodyTypes;
import dev.skiff.api.http.Hijacked;
import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Router;
import dev.skiff.engine.Engine;
import dev.skiff.engine.Exec;
import dev.skiff.engine.StreamWriter;
import dev.skiff.errors.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Map;

/** docker exec: create, start (hijacked or detached), resize, inspect. */
public final class ExecRoutes {
    private final Engine engine;

    public ExecRoutes(Engine engine) {
        this.engine = engine;
    }

    public void register(Router router) {
        router.add("POST", "/containers/{id}/exec", (rq, rs) -> {
                    ObjectNode body = rq.json(ObjectNode.class);
                    if (body == null) {
                        throw new InvalidArgumentException("exec config is empty: give at least Cmd");
                    }
                    BodyTypes.check("ExecCreate", body);
                    rs.json(201, Map.of("Id", engine.execs().create(rq.pathParam("id"), body)));
                })
                .add("POST", "/exec/{id}/start", this::start)
                .add("POST", "/exec/{id}/resize", (rq, rs) -> {
                    engine.execs().resize(rq.pathParam("id"), ContainerLifecycleRoutes.intParam(rq, "h"),
                            ContainerLifecycleRoutes.intParam(rq, "w"));
                    rs.empty(200);
                })
                .add("GET", "/exec/{id}/json", (rq, rs) -> rs.json(200, inspect(engine.execs().get(rq.pathParam("id")))));
    }

    private void start(HttpRequest rq, HttpResponse rs) throws Exception {
        ObjectNode body = rq.json(ObjectNode.class);
        BodyTypes.check("ExecStart", body);
        boolean detach = body != null && body.path("Detach").asBoolean(false);
        Exec e = engine.execs().get(rq.pathParam("id"));
        if (e.started()) {
            throw new dev.skiff.errors.ConflictException("exec " + e.id() + " has already been started (create a new one with docker exec)");
        }
        if (detach) {
            engine.execs().start(e.id(), true, null, null);
            rs.empty(200);
            return;
        }
        boolean tty = e.tty() || (body != null && body.path("Tty").asBoolean(false));
        if (body != null && body.path("ConsoleSize").isArray()) {
            e.config().set("ConsoleSize", body.get("ConsoleSize")); // the first terminal size, applied at start
        }
        try (Hijacked conn = rs.hijack(tty ? ContainerStreamRoutes.RAW : ContainerStreamRoutes.MULTIPLEXED)) {
            StreamWriter out = new StreamWriter(conn.out(), !tty, 64 * 1024);
            try {
                engine.execs().start(e.id(), false, conn.in(), out, rq::clientGone);
                out.flush();
            } catch (dev.skiff.errors.SkiffException ex) {
                // after the hijack the status line is gone: dockerd writes the error as the exec's output (a stdout
                // frame without a TTY) and the CLI prints it, then exits with the exec's code (126 or 127)
                byte[] text = (ex.getMessage() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.write(StreamWriter.STDOUT, text, 0, text.length);
                out.flush();
            }
            conn.closeOutput();
        }
    }

    static Map<String, Object> inspect(Exec e) {
        Map<String, Object> pc = new LinkedHashMap<>();
        pc.put("tty", e.tty());
        pc.put("entrypoint", e.cmd().get(0));
        pc.put("arguments", e.cmd().subList(1, e.cmd().size()));
        pc.put("privileged", e.config().path("Privileged").asBoolean(false));
        String user = e.config().path("User").asText("");
        if (!user.isEmpty()) {
            pc.put("user", user); // omitted when empty, as dockerd's ProcessConfig (json:"user,omitempty")
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("ID", e.id());
        o.put("Running", e.running());
        o.put("ExitCode", e.exitCode());
        o.put("ProcessConfig", pc);
        o.put("OpenStdin", e.config().path("AttachStdin").asBoolean(false));
        o.put("OpenStderr", e.config().path("AttachStderr").asBoolean(false));
        o.put("OpenStdout", e.config().path("AttachStdout").asBoolean(false));
        o.put("CanRemove", false);
        o.put("ContainerID", e.containerId());
        o.put("DetachKeys", e.config().path("DetachKeys").asText(""));
        o.put("Pid", e.pid());
        return o;
    }

}

package dev.skiff.api.routes;

import dev.skiff.api.http.HttpRequest;
import dev.skiff.api.http.HttpResponse;
import dev.skiff.api.http.Hijacked;
import dev.skiff.api.http.Router;
import dev.skiff.api.http.WebSocket;
import dev.skiff.engine.AttachService;
import dev.skiff.engine.Container;
import dev.skiff.sys.DetachKeys;
import dev.skiff.engine.ContainerService;
import dev.skiff.engine.Engine;
import dev.skiff.engine.LogReader;
import dev.skiff.engine.StdioPump;
import dev.skiff.engine.StreamWriter;
import dev.skiff.engine.Times;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.SkiffException;
import dev.skiff.runtime.AttachSession;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Container logs and attach: output raw for a TTY, otherwise in stdcopy frames; attach over a WebSocket
 * (/attach/ws) always raw.
 */
public final class ContainerStreamRoutes {
    static final String RAW = "application/vnd.docker.raw-stream";
    static final String MULTIPLEXED = "application/vnd.docker.multiplexed-stream";

    private final Engine engine;
    private final ContainerService containers;

    public ContainerStreamRoutes(Engine engine) {
        this.engine = engine;
        this.containers = engine.containers();
    }

    public void register(Router router) {
        router.add("GET", "/containers/{id}/logs", this::logs)
                .add("POST", "/containers/{id}/attach", this::attach)
                .add("GET", "/containers/{id}/attach/ws", this::attachWebSocket);
    }

    private void logs(HttpRequest rq, HttpResponse rs) throws Exception {
        Container c = containers.get(rq.pathParam("id"));
        boolean stdout = rq.queryBool("stdout", false);
        boolean stderr = rq.queryBool("stderr", false);
        if (!stdout && !stderr) {
            throw new InvalidArgumentException("Bad parameters: you must choose at least one stream");
        }
        if (!dev.skiff.engine.LogConfig.readable(c.hostConfig())) {
            throw new InvalidArgumentException("configured logging driver does not support reading");
        }
        String tailText = rq.query("tail").orElse("all");
        int tail = tail(tailText);
        LogReader.Options opts = new LogReader.Options(stdout, stderr, nanos(rq, "since", Long.MIN_VALUE),
                nanos(rq, "until", Long.MAX_VALUE), tail, rq.queryBool("timestamps", false), rq.queryBool("follow", false),
                rq.queryBool("details", false) ? dev.skiff.engine.LogDetails.prefix(c) : null);
        try (OutputStream out = rs.stream(200, c.tty() ? RAW : MULTIPLEXED)) {
            StreamWriter w = new StreamWriter(out, !c.tty());
            new LogReader(Path.of(c.logPath()), opts).copyTo(w, () -> running(c.id()), rq::clientGone);
        }
    }

    private boolean running(String id) {
        try {
            return containers.get(id).state().running();
        } catch (SkiffException e) {
            return false;
        }
    }

    /** since/until as unix seconds with fraction; 0 (the CLI's "unset") means no bound. */
    private static long nanos(HttpRequest rq, String name, long none) {
        String v = rq.query(name).orElse("");
        if (v.isEmpty() || v.equals("0")) {
            return none;
        }
        Instant t = Times.parseApiTime(v);
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    private void attach(HttpRequest rq, HttpResponse rs) throws Exception {
        attach(rq, rs, false);
    }

    /**
     * GET /containers/{id}/attach/ws: the same attach over a WebSocket, output as text frames of the container's
     * raw bytes (never stdcopy frames, TTY or not), input from the client's frames, as dockerd serves it.
     */
    private void attachWebSocket(HttpRequest rq, HttpResponse rs) throws Exception {
        attach(rq, rs, true);
    }

    private void attach(HttpRequest rq, HttpResponse rs, boolean webSocket) throws Exception {
        Container c = containers.get(rq.pathParam("id"));
        boolean stream = rq.queryBool("stream", false);
        boolean logs = rq.queryBool("logs", false);
        AttachService.Streams streams = new AttachService.Streams(
                rq.queryBool("stdin", false) && c.config().path("OpenStdin").asBoolean(false),
                rq.queryBool("stdout", false), rq.queryBool("stderr", false));
        if (!stream && !logs) {
            throw new InvalidArgumentException("Bad parameters: you must choose at least one of stream or logs");
        }
        DetachKeys detach = streams.stdin() ? DetachKeys.parse(rq.query("detachKeys").orElse("")) : null;
        CompletableFuture<AttachSession> pending = stream ? containers.attaches().attach(c, streams) : null;
        if (pending != null) {
            // announced before the connection is handed over: the start a docker run sends once it has the
            // connection must find the attach already published (NetworkIT saw start's network:connect first)
            engine.events().publishContainer(c, "attach", Map.of());
        }
        try (Hijacked conn = webSocket ? WebSocket.accept(rq, rs) : rs.hijack(c.tty() ? RAW : MULTIPLEXED)) {
            StreamWriter out = new StreamWriter(conn.out(), !webSocket && !c.tty(), 64 * 1024);
            if (logs) {
                new LogReader(Path.of(c.logPath()), new LogReader.Options(streams.stdout(), streams.stderr(),
                        Long.MIN_VALUE, Long.MAX_VALUE, -1, false, false)).copyTo(out, () -> false, () -> false);
                out.flush();
            }
            if (pending != null) {
                AttachSession session = await(pending, rq);
                if (session != null) {
                    try (session) {
                        StdioPump.run(session, streams.stdin() ? conn.in() : null,
                                c.config().path("StdinOnce").asBoolean(false), out, detach);
                    }
                }
            }
            out.flush();
            conn.closeOutput();
        } finally {
            if (pending != null) {
                pending.cancel(false);
            }
        }
    }

    /** Waits for a pending attach (the container's start); null when the client left or the container went away. */
    private static AttachSession await(CompletableFuture<AttachSession> pending, HttpRequest rq) throws Exception {
        while (true) {
            try {
                return pending.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                if (rq.clientGone()) {
                    return null;
                }
            } catch (java.util.concurrent.CancellationException e) {
                return null;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        }
    }

    /**
     * docker logs --tail: a number of lines, or every line for "all", and (the CLI reference's words) "a negative
     * number or a non-integer ... is invalid and the value is set to all in that case", as dockerd does.
     */
    static int tail(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

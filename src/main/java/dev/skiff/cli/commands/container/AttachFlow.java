package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.CliContext;
import dev.skiff.cli.client.ApiException;
import dev.skiff.cli.client.ApiRequest;
import dev.skiff.cli.client.HijackedConnection;
import dev.skiff.cli.commands.Api;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.commands.Query;
import dev.skiff.cli.io.AttachedStreams;
import dev.skiff.cli.io.SignalProxy;
import dev.skiff.sys.DetachKeys;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * docker's attach-then-start sequence for run and start -a: hijack the attach stream and open the
 * wait request before starting, so no output and no exit is missed; then pump streams and return
 * the container's exit code.
 */
final class AttachFlow {
    /** What starts the container once attach and wait are in place. */
    @FunctionalInterface
    interface Starter {
        void start() throws IOException;
    }

    record Settings(boolean tty, List<String> streams, String waitCondition, String detachKeys, boolean sigProxy) {
    }

    private AttachFlow() {
    }

    static int run(Api api, CliContext ctx, String id, Settings s, Starter starter) throws IOException {
        HijackedConnection conn = null;
        if (!s.streams().isEmpty()) {
            conn = api.hijack(ApiRequest.post(Query.path("/containers/%s/attach", id)
                    .param("stream", true)
                    .param("stdin", s.streams().contains("stdin"))
                    .param("stdout", s.streams().contains("stdout"))
                    .param("stderr", s.streams().contains("stderr"))
                    .param("detachKeys", s.detachKeys()).build()));
        }
        try (HijackedConnection attached = conn;
             ContainerWait wait = ContainerWait.open(api, id, s.waitCondition())) {
            starter.start();
            if (attached != null && pump(api, ctx, id, s, attached)) {
                ctx.err().println(AttachedStreams.DETACHED); // the container runs on, as after docker's detach
                return 0;
            }
            return awaitExit(api, id, wait, attached != null);
        }
    }

    /**
     * The attach stream ends both when the container exits and when the user detaches (detach
     * keys); a container still running a moment after the stream closed means a detach: exit 0.
     */
    private static int awaitExit(Api api, String id, ContainerWait wait, boolean wasAttached) throws IOException {
        try {
            while (true) {
                try {
                    return exitCode(wait.result(wasAttached ? 2 : Long.MAX_VALUE / 4, TimeUnit.SECONDS));
                } catch (TimeoutException e) {
                    JsonNode state = api.get(Query.path("/containers/%s/json", id)).path("State");
                    if (state.path("Running").asBoolean()) {
                        return 0;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for container " + id, e);
        }
    }

    /** Returns whether the user typed the detach keys. */
    private static boolean pump(Api api, CliContext ctx, String id, Settings s, HijackedConnection conn) throws IOException {
        boolean stdin = s.streams().contains("stdin");
        boolean raw = s.tty() && stdin && ctx.terminal().stdinIsTerminal();
        if (s.tty()) {
            resize(api, ctx, "/containers/%s/resize", id);
        }
        AutoCloseable rawMode = raw ? ctx.terminal().makeRaw() : () -> { };
        SignalProxy proxy = s.sigProxy() && !s.tty() ? SignalProxy.start(sig -> kill(api, id, sig))
                : raw ? SignalProxy.onWindowChange(() -> resize(api, ctx, "/containers/%s/resize", id)) : null;
        try {
            // the docker CLI watches for the detach keys itself on a TTY session, and so does this
            return AttachedStreams.pump(conn, stdin ? ctx.in() : null, s.tty(), ctx.out(), ctx.err(),
                    s.tty() && stdin ? DetachKeys.parse(s.detachKeys()) : null);
        } finally {
            if (proxy != null) {
                proxy.close();
            }
            try {
                rawMode.close();
            } catch (Exception e) {
                ctx.err().println("skiff: could not restore the terminal (run 'reset'): " + e.getMessage());
            }
        }
    }

    static void resize(Api api, CliContext ctx, String pathFormat, String id) {
        ctx.terminal().size().ifPresent(hw -> {
            try {
                api.post(Query.path(pathFormat, id).param("h", hw[0]).param("w", hw[1]));
            } catch (IOException e) {
                // a container that exited already cannot be resized; nothing to report
            }
        });
    }

    private static void kill(Api api, String id, String signal) {
        try {
            api.post(Query.path("/containers/%s/kill", id).param("signal", signal));
        } catch (IOException e) {
            // the container is gone; the wait result says how it ended
        }
    }

    private static int exitCode(JsonNode result) {
        String error = result == null ? "" : result.path("Error").path("Message").asText("");
        if (!error.isEmpty()) {
            throw CliFailure.of("skiff: " + error, 125);
        }
        return result == null ? 125 : result.path("StatusCode").asInt(125);
    }

    /** docker's runStartContainerErr: 127 for a missing executable, 126 for one that cannot run, else 125. */
    static int startFailureCode(ApiException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (m.contains("executable file not found") || m.contains("no such file or directory")
                || m.contains("system cannot find the file specified")) {
            return 127;
        }
        if (m.contains("permission denied") || m.contains("is a directory")) {
            return 126;
        }
        return 125;
    }
}

package dev.skiff.runtime.runc;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.unix.BlockingThreads;
import dev.skiff.runtime.unix.SpawnedProcess;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Runs one runc subcommand against Skiff's own state root and turns its failures into Skiff errors:
 * "does not exist" is NotFound, "not running"/"paused"/"stopped" states are Conflict, the rest Unavailable.
 */
final class RuncCommand {
    private static final long TIMEOUT_SECONDS = 60;

    private final Path runc;
    private final Path stateRoot;

    RuncCommand(Path runc, Path stateRoot) {
        this.runc = runc;
        this.stateRoot = stateRoot;
    }

    /** The global flags every invocation carries; conmon gets the same through --runtime-arg. */
    List<String> globalArgs() {
        return List.of("--root", stateRoot.toString());
    }

    Path binary() {
        return runc;
    }

    /** Runs {@code runc --root R args...} and returns its stdout; {@code action} names it in errors. */
    String run(String action, String id, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(runc.toString());
        cmd.addAll(globalArgs());
        cmd.addAll(List.of(args));
        // on a platform thread: reading runc's pipes would hold a virtual caller's carrier for as long as runc runs
        try {
            return CompletableFuture.supplyAsync(() -> runNow(action, id, stdin, cmd), BlockingThreads::start).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while running runc " + action + " on container " + id, e);
        }
    }

    private String runNow(String action, String id, byte[] stdin, List<String> cmd) {
        try {
            Process p = SpawnedProcess.start(cmd.getFirst(), cmd, RuntimeEnvironment.trimmed(), stdin != null);
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                }
            }
            // runc's outputs are small; read stderr after stdout without a second thread.
            byte[] out = readAll(p.getInputStream());
            byte[] err = readAll(p.getErrorStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new UnavailableException("runc " + action + " of container " + id + " did not finish in "
                        + TIMEOUT_SECONDS + "s (is the host overloaded?)");
            }
            if (p.exitValue() != 0) {
                throw failure(action, id, cleanMessage(new String(err, StandardCharsets.UTF_8)));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UnavailableException("cannot run " + runc + " to " + action + " container " + id + ": "
                    + e.getMessage() + " (is runc installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while running runc " + action + " on container " + id, e);
        }
    }

    static RuntimeException failure(String action, String id, String message) {
        String m = message.toLowerCase(java.util.Locale.ROOT);
        String text = "runc " + action + " failed for container " + id + ": " + message;
        if (m.contains("does not exist") || m.contains("container not found")) {
            return new NotFoundException("no such container in the runtime: " + id + " (" + message + ")");
        }
        if (m.contains("not running") || m.contains("is paused") || m.contains("not paused")
                || m.contains("cannot delete container") || m.contains("is stopped") || m.contains("cannot start")) {
            return new ConflictException(text);
        }
        return new UnavailableException(text);
    }

    /** runc prints "time=... level=error msg=\"...\"" or plain text; keep only the message. */
    static String cleanMessage(String stderr) {
        String s = stderr.strip();
        int msg = s.lastIndexOf("msg=\"");
        if (msg >= 0) {
            int end = s.lastIndexOf('"');
            s = end > msg + 5 ? s.substring(msg + 5, end) : s.substring(msg + 5);
            s = s.replace("\\\"", "\"").replace("\\n", " ");
        }
        return s.isEmpty() ? "(no message)" : s;
    }

    /** The last error runc wrote to a --log-format=json log file, or null. */
    static String lastLoggedError(Path log) {
        try {
            if (!Files.exists(log)) {
                return null;
            }
            String last = null;
            for (String line : Files.readAllLines(log)) {
                if (line.isBlank()) {
                    continue;
                }
                var node = Json.MAPPER.readTree(line);
                if ("error".equals(node.path("level").asText()) || "fatal".equals(node.path("level").asText())) {
                    last = node.path("msg").asText();
                }
            }
            return last;
        } catch (IOException e) {
            return null;
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            return in.readAllBytes();
        }
    }
}

package dev.skiff.api.routes;

import dev.skiff.api.http.HttpResponse;
import dev.skiff.image.Progress;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's streamed JSON messages (one object per line: status/progress, stream text, errors), as pull,
 * import and load answer. The response starts with the first message, so errors found before that still
 * become a plain HTTP error; after it they can only be an {"errorDetail": ...} message.
 */
final class JsonMessageStream implements Progress {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;

    private final HttpResponse response;
    private OutputStream out;
    private final Map<String, Long> lastProgress = new java.util.HashMap<>();

    JsonMessageStream(HttpResponse response) {
        this.response = response;
    }

    @Override
    public void update(String id, String status, long current, long total) {
        boolean isByteProgress = current >= 0;
        long now = System.nanoTime();
        Long last = lastProgress.get(id);
        if (isByteProgress && current != total && last != null && now - last < MIN_INTERVAL_NANOS) {
            return; // a progress bar needs a few updates a second, not one per read
        }
        if (isByteProgress) {
            lastProgress.put(id, now);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        if (isByteProgress) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("current", current);
            if (total > 0) {
                detail.put("total", total);
            }
            m.put("progressDetail", detail);
            m.put("progress", ProgressBar.format(current, total));
        }
        if (id != null && !id.isEmpty()) {
            m.put("id", id);
        }
        write(m);
    }

    void stream(String text) {
        write(Map.of("stream", text));
    }

    @Override
    public void message(String line) {
        stream(line);
    }

    /** This stream without its progress: a quiet command's output lines alone. */
    Progress messagesOnly() {
        return new Progress() {
            @Override
            public void update(String id, String status, long current, long total) {
            }

            @Override
            public void message(String line) {
                stream(line);
            }
        };
    }

    void error(String message) {
        error(message, null);
    }

    /** An error message; {@code code}, when given, goes into its errorDetail first (a build's failed step). */
    void error(String message, Integer code) {
        message = dev.skiff.api.http.ErrorMapper.withWayOut(message);
        Map<String, Object> detail = new LinkedHashMap<>();
        if (code != null) {
            detail.put("code", code);
        }
        detail.put("message", message);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorDetail", detail);
        m.put("error", message);
        write(m);
    }

    boolean started() {
        return out != null;
    }

    void write(Map<String, ?> message) {
        try {
            if (out == null) {
                out = response.stream(200, "application/json");
            }
            out.write(Json.MAPPER.writeValueAsBytes(message));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away: " + e.getMessage(), e);
        }
    }

    /** Ends the response; an empty one when nothing was written. */
    void close() throws IOException {
        if (out == null) {
            out = response.stream(200, "application/json");
        }
        out.close();
    }
}

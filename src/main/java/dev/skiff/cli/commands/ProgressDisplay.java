package dev.skiff.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.Map;

/**
 * docker's jsonmessage display for pull and push: on a terminal every id (a layer) owns one line that is redrawn
 * in place (cursor up, clear, rewrite, cursor down), so several layers show their bars at once; elsewhere each
 * status prints as a plain line and byte progress is left out. An "error" message ends the command.
 */
public final class ProgressDisplay {
    private final PrintStream out;
    private final boolean terminal;
    private final Map<String, Integer> lineOf = new HashMap<>();
    private int lines;

    public ProgressDisplay(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Shows the whole stream; returns the last "aux" object (push's Tag/Digest/Size), or a missing node. */
    public JsonNode show(InputStream in) throws IOException {
        JsonNode aux = com.fasterxml.jackson.databind.node.MissingNode.getInstance();
        try (MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNextValue()) {
                JsonNode m = it.nextValue();
                String error = m.path("errorDetail").path("message").asText(m.path("error").asText(""));
                if (!error.isEmpty()) {
                    out.flush();
                    throw CliFailure.of(error, 1);
                }
                if (m.has("aux")) {
                    aux = m.get("aux");
                    continue;
                }
                show(m);
            }
        }
        out.flush();
        return aux;
    }

    private void show(JsonNode m) {
        String id = m.path("id").asText("");
        String status = m.path("status").asText(m.path("stream").asText(""));
        boolean isProgress = m.path("progressDetail").has("current");
        if (!terminal) {
            if (!isProgress && !status.isEmpty()) {
                out.println((id.isEmpty() ? "" : id + ": ") + status);
            }
            return;
        }
        String progress = m.path("progress").asText("");
        String line = (id.isEmpty() ? "" : id + ": ") + status + (progress.isEmpty() ? "" : " " + progress);
        Integer at = id.isEmpty() ? null : lineOf.get(id);
        if (at == null) {
            if (!id.isEmpty()) {
                lineOf.put(id, lines);
            }
            lines++;
            out.print("\033[2K" + line + "\n");
        } else {
            int up = lines - at;
            out.print("\033[" + up + "A\r\033[2K" + line + "\r\033[" + up + "B");
        }
        out.flush();
    }
}

package dev.skiff.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * docker's jsonmessage stream (import, load, pull): one JSON object per message; "stream" text is
 * printed as is, "status" as a line, and an "error" ends the command with that message. Progress
 * messages (a "progressDetail" or "progress") redraw one line on a terminal and are left out
 * elsewhere, as docker's jsonmessage.Display does, so piped output stays clean.
 */
public final class JsonMessages {
    private JsonMessages() {
    }

    public static void print(InputStream in, PrintStream out) throws IOException {
        print(in, out, false);
    }

    public static void print(InputStream in, PrintStream out, boolean terminal) throws IOException {
        boolean midLine = false;
        try (MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNextValue()) {
                JsonNode m = it.nextValue();
                String error = m.path("errorDetail").path("message").asText(m.path("error").asText(""));
                if (!error.isEmpty()) {
                    out.flush();
                    throw CliFailure.of(error, 1);
                }
                boolean isProgress = !m.path("progress").asText("").isEmpty()
                        || m.path("progressDetail").has("current") || m.path("progressDetail").has("total");
                if (isProgress && !terminal) {
                    continue;
                }
                if (midLine && !isProgress) {
                    out.println();
                    midLine = false;
                }
                if (m.has("stream")) {
                    out.print(m.path("stream").asText());
                } else if (m.has("status")) {
                    String id = m.path("id").asText("");
                    String progress = m.path("progress").asText("");
                    String line = (id.isEmpty() ? "" : id + ": ") + m.path("status").asText() + (progress.isEmpty() ? "" : " " + progress);
                    if (isProgress) {
                        out.print("\r\033[2K" + line);
                        out.flush();
                        midLine = true;
                    } else {
                        out.println(line);
                    }
                }
            }
        }
        if (midLine) {
            out.println();
        }
        out.flush();
    }
}

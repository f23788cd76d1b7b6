package dev.skiff.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;

/**
 * docker's jsonmessage stream (import, load, pull): one JSON object per message; "stream" text is
 * printed as is, "status" as a line, and an "error" ends the command with that message.
 */
public final class JsonMessages {
    private JsonMessages() {
    }

    public static void print(InputStream in, PrintStream out) throws IOException {
        try (MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNextValue()) {
                JsonNode m = it.nextValue();
                String error = m.path("errorDetail").path("message").asText(m.path("error").asText(""));
                if (!error.isEmpty()) {
                    out.flush();
                    throw CliFailure.of(error, 1);
                }
                if (m.has("stream")) {
                    out.print(m.path("stream").asText());
                } else if (m.has("status")) {
                    String id = m.path("id").asText("");
                    String progress = m.path("progress").asText("");
                    out.println((id.isEmpty() ? "" : id + ": ") + m.path("status").asText() + (progress.isEmpty() ? "" : " " + progress));
                }
            }
        }
        out.flush();
    }
}

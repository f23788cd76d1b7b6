package dev.skiff.cli.commands.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders POST /build's legacy message stream for a person: each step as "#N [n/total] INSTRUCTION", its
 * RUN output prefixed with the step number, "CACHED" for cache hits and "DONE 1.2s" with the step's wall time
 * (measured here, between the daemon's messages). A RUN's stderr comes between the classic builder's red escape
 * codes (the reset after the line's newline): on a terminal the line is red, elsewhere the codes are dropped (the
 * docker CLI prints them raw). On a terminal the step lines are bold, and a download's byte
 * progress (an ADD of a URL, a remote context) is one line redrawn in place; elsewhere it is not shown, as the docker
 * CLI does.
 */
final class BuildProgress {
    private static final Pattern STEP = Pattern.compile("^Step (\\d+)/(\\d+) : (.*)$");
    private static final Pattern IMAGE = Pattern.compile("^ ---> ([0-9a-f]{12})$");
    private static final String RED = "\033[91m";
    private static final String RESET = "\033[0m";

    private final PrintStream out;
    private final boolean tty;
    private int step;
    private long stepStart;
    private boolean cached;
    private String imageId;
    private final StringBuilder partial = new StringBuilder();
    /** A progress line is on the terminal, not yet ended. */
    private boolean progressShown;

    BuildProgress(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    /** Reads the stream to its end; returns the image ID from the aux message (or null). */
    String render(InputStream in) throws IOException {
        try (MappingIterator<JsonNode> it = Json.MAPPER.readerFor(JsonNode.class).readValues(in)) {
            while (it.hasNextValue()) {
                JsonNode m = it.nextValue();
                String error = m.path("errorDetail").path("message").asText(m.path("error").asText(""));
                if (!error.isEmpty()) {
                    endProgress();
                    flushPartial();
                    if (step > 0) {
                        out.println("#" + step + " ERROR after " + seconds());
                    }
                    out.flush();
                    int code = m.path("errorDetail").path("code").asInt(1);
                    throw CliFailure.of(error, code == 0 ? 1 : code);
                }
                if (m.path("aux").has("ID")) {
                    imageId = m.path("aux").path("ID").asText();
                }
                if (m.has("stream")) {
                    text(m.path("stream").asText());
                } else if (m.has("progressDetail")) {
                    progress(m);
                }
            }
        }
        endProgress();
        flushPartial();
        finishStep();
        out.flush();
        return imageId;
    }

    private void progress(JsonNode m) {
        if (!tty) {
            return;
        }
        String id = m.path("id").asText("");
        String text = (step > 0 ? "#" + step + " " : "") + (id.isEmpty() ? "" : id + ": ") + m.path("status").asText("")
                + " " + m.path("progress").asText("");
        out.print("\r\033[2K" + text.stripTrailing());
        out.flush();
        progressShown = true;
    }

    /** Leaves the last progress line as it was drawn, and moves on to a new line. */
    private void endProgress() {
        if (progressShown) {
            out.println();
            progressShown = false;
        }
    }

    private void text(String s) {
        partial.append(s);
        int nl;
        while ((nl = partial.indexOf("\n")) >= 0) {
            line(partial.substring(0, nl));
            partial.delete(0, nl + 1);
        }
    }

    private void flushPartial() {
        if (!partial.isEmpty()) {
            line(partial.toString());
            partial.setLength(0);
        }
    }

    private void line(String raw) {
        endProgress();
        boolean red = raw.contains(RED);
        String line = raw.replace(RED, "").replace(RESET, "");
        if (red) {
            String text = tty ? RED + line + RESET : line;
            out.println(step > 0 ? "#" + step + " " + text : text);
            return;
        }
        Matcher m = STEP.matcher(line);
        if (m.matches()) {
            finishStep();
            step = Integer.parseInt(m.group(1));
            stepStart = System.nanoTime();
            cached = false;
            String head = "#" + step + " [" + m.group(1) + "/" + m.group(2) + "] " + m.group(3);
            out.println(tty ? "\033[1m" + head + "\033[0m" : head);
            return;
        }
        if (line.equals(" ---> Using cache")) {
            cached = true;
            return;
        }
        if (line.startsWith(" ---> Running in ") || line.startsWith(" ---> Removed intermediate container")
                || IMAGE.matcher(line).matches()) {
            return; // container and layer IDs: noise for a person; the final ID is printed at the end
        }
        if (line.startsWith("Successfully built ") || line.startsWith("Successfully tagged ")) {
            finishStep();
            out.println(line);
            return;
        }
        out.println(step > 0 ? "#" + step + " " + line : line);
    }

    private void finishStep() {
        if (step > 0) {
            out.println("#" + step + (cached ? " CACHED" : " DONE " + seconds()));
            step = 0;
        }
    }

    private String seconds() {
        return String.format(Locale.ROOT, "%.1fs", (System.nanoTime() - stepStart) / 1e9);
    }
}

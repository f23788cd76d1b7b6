package dev.skiff.cli.commands.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.format.Units;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

/**
 * docker's State.String() from an inspect State object: "Up 3 seconds", "Up 2 seconds (Paused)",
 * "Exited (0) 2 minutes ago", "Created". ps prints the daemon's Status; this reads the same
 * from inspect data.
 */
public final class ContainerStatus {
    private ContainerStatus() {
    }

    public static String describe(JsonNode state, Instant now) {
        Instant started = time(state.path("StartedAt").asText(""));
        Instant finished = time(state.path("FinishedAt").asText(""));
        if (state.path("Running").asBoolean()) {
            if (state.path("Paused").asBoolean()) {
                return "Up " + since(started, now) + " (Paused)";
            }
            if (state.path("Restarting").asBoolean()) {
                return "Restarting (" + state.path("ExitCode").asInt() + ") " + since(finished, now) + " ago";
            }
            String health = state.path("Health").path("Status").asText("");
            if (!health.isEmpty() && !health.equals("none")) {
                return "Up " + since(started, now) + " (" + (health.equals("starting") ? "health: starting" : health) + ")";
            }
            return "Up " + since(started, now);
        }
        if (state.path("Dead").asBoolean()) {
            return "Dead";
        }
        if (started == null) {
            return "Created";
        }
        if (finished == null) {
            return "";
        }
        return "Exited (" + state.path("ExitCode").asInt() + ") " + since(finished, now) + " ago";
    }

    private static String since(Instant t, Instant now) {
        return Units.humanDuration(Duration.between(t == null ? now : t, now));
    }

    /** Docker's zero time "0001-01-01T00:00:00Z" means never. */
    static Instant time(String text) {
        if (text.isEmpty() || text.startsWith("0001-01-01")) {
            return null;
        }
        return OffsetDateTime.parse(text).toInstant();
    }
}

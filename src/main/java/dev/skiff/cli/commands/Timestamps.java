package dev.skiff.cli.commands;

import dev.skiff.sys.GoTimestamp;
import java.time.Instant;
import java.time.ZoneId;

/**
 * docker's GetTimestamp for --since/--until, read on the client as the docker CLI does: Go durations ("42m")
 * relative to now, RFC 3339 cut short anywhere after the date (local time unless a zone is named), or unix seconds.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** The value to send ("SECONDS.NANOS"), or null for none; a value that is no time is the docker CLI's error. */
    public static String toApi(String value, Instant now) {
        return toApi(value, now, null);
    }

    /**
     * As {@link #toApi(String, Instant)}, the error naming {@code parameter} ("since", "until") as docker logs words
     * it; docker events names none.
     */
    public static String toApi(String value, Instant now, String parameter) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant t = GoTimestamp.parse(value, now, ZoneId.systemDefault()).orElseThrow(() -> CliFailure.of(
                (parameter == null ? "" : "invalid value for \"" + parameter + "\": ")
                        + "failed to parse value as time or duration: \"" + value + "\"", 1));
        if (value.matches("\\d+(\\.\\d+)?")) {
            return value; // unix seconds go as they were written, as the docker CLI sends them
        }
        return String.format("%d.%09d", t.getEpochSecond(), t.getNano());
    }
}

package dev.skiff.cli.commands;

import dev.skiff.sys.GoDuration;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;

/** docker's GetTimestamp for --since/--until: Go durations ("42m") relative to now, RFC 3339, or unix seconds. */
public final class Timestamps {
    private Timestamps() {
    }

    public static String toApi(String value, Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        // as docker's GetTimestamp: any Go duration but "0" (that is the epoch), a negative one reaching ahead
        Duration d = value.equals("0") ? null : GoDuration.parse(value).orElse(null);
        if (d != null) {
            Instant t = now.minus(d);
            return String.format("%d.%09d", t.getEpochSecond(), t.getNano());
        }
        if (value.matches("\\d+(\\.\\d+)?")) {
            return value;
        }
        try {
            return seconds(OffsetDateTime.parse(value).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            // try the shorter forms docker accepts
        }
        try {
            return seconds(LocalDateTime.parse(value).atZone(ZoneId.systemDefault()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            // next form
        }
        try {
            return seconds(LocalDate.parse(value).atStartOfDay(ZoneId.systemDefault()).toInstant());
        } catch (java.time.format.DateTimeParseException e) {
            throw CliFailure.of("invalid value for timestamp: \"" + value
                    + "\" (use a duration like 42m, RFC 3339 like 2013-01-02T13:23:37Z, or unix seconds)", 1);
        }
    }

    private static String seconds(Instant t) {
        return String.format("%d.%09d", t.getEpochSecond(), t.getNano());
    }
}

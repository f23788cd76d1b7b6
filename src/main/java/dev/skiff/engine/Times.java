package dev.skiff.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;

/** Go's time formats as Docker writes them: RFC3339Nano trims trailing zeros; the zero time is year 1. */
public final class Times {
    public static final String ZERO = "0001-01-01T00:00:00Z";

    private static final DateTimeFormatter RFC3339_NANO = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String format(Instant instant) {
        return instant == null ? ZERO : RFC3339_NANO.format(instant);
    }

    public static String now() {
        return format(Instant.now());
    }

    /** Parses an RFC3339 string; the zero time and null give null. */
    public static Instant parse(String text) {
        if (text == null || text.isEmpty() || text.equals(ZERO)) {
            return null;
        }
        return java.time.OffsetDateTime.parse(text).toInstant();
    }

    /**
     * Parses Docker's --since/--until forms: unix seconds with optional fraction ("1700000000.5"),
     * or RFC3339. Relative durations ("10m") are turned into timestamps by the CLI before sending.
     */
    public static Instant parseApiTime(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        if (text.matches("-?\\d+(\\.\\d{1,9})?")) {
            int dot = text.indexOf('.');
            long secs = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
            long nanos = 0;
            if (dot >= 0) {
                String frac = (text.substring(dot + 1) + "000000000").substring(0, 9);
                nanos = Long.parseLong(frac);
            }
            return Instant.ofEpochSecond(secs, nanos);
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw new dev.skiff.errors.InvalidArgumentException("invalid time " + text
                    + ": use unix seconds (1700000000[.nnn]) or RFC3339 (2026-01-02T15:04:05Z)");
        }
    }
}

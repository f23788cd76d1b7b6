package dev.skiff.engine;

import dev.skiff.sys.GoDuration;
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

    /** {@link #parseApiTime(String, Instant)} from now; null for null or blank text. */
    public static Instant parseApiTime(String text) {
        return text == null || text.isBlank() ? null : parseApiTime(text, Instant.now());
    }

    /**
     * dockerd's GetTimestamp, for since/until query values and filters: unix seconds with an optional fraction
     * ("1700000000.5"), an RFC 3339 time or date, or a Go duration back from {@code now} ("10m", "1h30m": the
     * docker CLI sends prune's --filter until=24h as it is written).
     */
    public static Instant parseApiTime(String text, Instant now) {
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
        java.util.Optional<java.time.Duration> ago = GoDuration.parse(text); // "0" was read as seconds above
        if (ago.isPresent()) {
            return now.minus(ago.get());
        }
        try {
            return java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            try {
                return java.time.LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (java.time.format.DateTimeParseException e2) {
                throw new dev.skiff.errors.InvalidArgumentException("invalid time " + text
                        + ": use unix seconds (1700000000[.nnn]), RFC 3339 (2026-01-02T15:04:05Z) or a duration (24h)");
            }
        }
    }
}

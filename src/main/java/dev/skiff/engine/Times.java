package dev.skiff.engine;

import java.time.Instant;

/** Go's time formats as Docker writes them: RFC3339Nano trims trailing zeros; the zero time is year 1. */
public final class Times {
    public static final String ZERO = "0001-01-01T00:00:00Z";

    private Times() {
    }

    public static String format(Instant instant) {
        return instant == null ? ZERO : dev.skiff.sys.GoTimestamp.format(instant);
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
     * dockerd's GetTimestamp ({@link dev.skiff.sys.GoTimestamp}) for since/until query values and filters, in the
     * daemon's zone: the docker CLI sends prune's --filter until=24h or until=2026-12-06T10:00 as it is written.
     */
    public static Instant parseApiTime(String text, Instant now) {
        return dev.skiff.sys.GoTimestamp.parse(text, now, java.time.ZoneId.systemDefault()).orElseThrow(() ->
                new dev.skiff.errors.InvalidArgumentException("invalid time " + text + ": use unix seconds "
                        + "(1700000000[.nnn]), RFC 3339 (2026-01-02T15:04:05Z, 2026-01-02T15:04, 2026-01-02) or a "
                        + "duration (24h)"));
    }
}

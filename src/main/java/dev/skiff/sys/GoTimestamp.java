package dev.skiff.sys;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's GetTimestamp (api/types/time), which reads every --since, --until and "until" filter, in the client for
 * logs and events and in the daemon for the prune filters: a Go duration back from now ("10m"; "0" is the epoch),
 * unix seconds with an optional fraction ("1700000000.5"), or an RFC 3339 time cut short anywhere after the date
 * ("2026-12-06", "2026-12-06T10", "2026-12-06T10:30", "2026-12-06T10:30:00.5"), in the local zone unless it names one
 * ("Z", "+01:00", "-05:00", also after a date alone or an hour). A fraction needs the seconds, as Go's layouts do.
 */
public final class GoTimestamp {
    private static final Pattern TIME = Pattern.compile(
            "(\\d{4})-(\\d{2})-(\\d{2})(?:T(\\d{2})(?::(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?)?(Z|[+-]\\d{2}:\\d{2})?");
    private static final Pattern UNIX = Pattern.compile("(\\d+)(?:\\.(\\d+))?");

    /** Go's time.RFC3339Nano as json.Marshal writes a UTC time: the fraction without trailing zeros. */
    private static final java.time.format.DateTimeFormatter RFC3339_NANO = new java.time.format.DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true)
            .appendLiteral('Z')
            .toFormatter()
            .withZone(ZoneOffset.UTC);

    private GoTimestamp() {
    }

    /** {@code t} as Go marshals a time.Time in UTC ("2026-12-07T15:05:02.12175074Z"). */
    public static String format(Instant t) {
        return RFC3339_NANO.format(t);
    }

    /**
     * The instant {@code value} names, {@code now} and {@code local} (the reader's zone) giving the meaning of
     * durations and of times without a zone; empty for text Docker refuses.
     */
    public static Optional<Instant> parse(String value, Instant now, ZoneId local) {
        if (!value.equals("0")) {
            Optional<Duration> ago = GoDuration.parse(value);
            if (ago.isPresent()) {
                return Optional.of(now.minus(ago.get()));
            }
        }
        if (value.contains("-") && !value.startsWith("-")) {
            return time(value, local);
        }
        Matcher m = UNIX.matcher(value);
        if (!m.matches() || m.group(1).length() > 18) {
            return Optional.empty();
        }
        long nanos = 0;
        if (m.group(2) != null) {
            // as Docker's ParseTimestamps: the digits after the dot scaled to nanoseconds ("5" is half a second)
            String digits = m.group(2).length() > 9 ? m.group(2).substring(0, 9) : m.group(2);
            nanos = Long.parseLong((digits + "000000000").substring(0, 9));
        }
        return Optional.of(Instant.ofEpochSecond(Long.parseLong(m.group(1)), nanos));
    }

    private static Optional<Instant> time(String value, ZoneId local) {
        Matcher m = TIME.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3)), number(m.group(4)), number(m.group(5)), number(m.group(6)),
                    m.group(7) == null ? 0 : Integer.parseInt((m.group(7) + "00000000").substring(0, 9)));
            String zone = m.group(8);
            ZoneId in = zone == null ? local : zone.equals("Z") ? ZoneOffset.UTC : ZoneOffset.of(zone);
            return Optional.of(t.atZone(in).toInstant());
        } catch (DateTimeException e) {
            return Optional.empty(); // a month 13, an hour 25, an offset past 18 hours
        }
    }

    private static int number(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }
}

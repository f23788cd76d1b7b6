package dev.skiff.sys;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's time.ParseDuration, which Docker uses wherever it takes a duration: the CLI's --health-interval and
 * --since/--until ("42m"), HEALTHCHECK flags in a Dockerfile, the API's since/until filters. A sign, then one
 * or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h): "300ms", "1.5h", "2h45m", "-1s"; "0" alone
 * needs no unit. Fractions are exact to the nanosecond and cut below it, as Go's are.
 */
public final class GoDuration {
    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)([^0-9.]*)");
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);

    private GoDuration() {
    }

    /** The duration, or empty for text Go would refuse. */
    public static Optional<Duration> parse(String text) {
        try {
            return Optional.of(Duration.ofNanos(parseNanos(text)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Nanoseconds; throws IllegalArgumentException with Go's own message for text Go would refuse. */
    public static long parseNanos(String text) {
        String s = text;
        boolean negative = s.startsWith("-");
        if (negative || s.startsWith("+")) {
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return 0;
        }
        if (s.isEmpty()) {
            throw invalid(text);
        }
        BigDecimal total = BigDecimal.ZERO;
        int at = 0;
        while (at < s.length()) {
            Matcher m = NUMBER_AND_UNIT.matcher(s).region(at, s.length());
            if (!m.lookingAt()) {
                throw invalid(text);
            }
            String unit = m.group(2);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
            }
            long perUnit = unitNanos(unit);
            if (perUnit == 0) {
                throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            }
            total = total.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(perUnit)));
            if (total.compareTo(MAX_NANOS) > 0) {
                throw invalid(text); // Go refuses what does not fit in an int64 of nanoseconds
            }
            at = m.end();
        }
        long nanos = total.longValue();
        return negative ? -nanos : nanos;
    }

    /**
     * Go's Duration.String(): "0s", "300ms", "1.5µs", "1.5s", "1m30s", "1h0m0s", "-2s": what dockerd writes where it
     * prints a duration (a health check's timeout message, a HEALTHCHECK history line).
     */
    public static String format(Duration d) {
        long nanos = d.toNanos();
        if (nanos == 0) {
            return "0s";
        }
        String sign = nanos < 0 ? "-" : "";
        long u = Math.abs(nanos);
        if (u < 1_000L) {
            return sign + u + "ns";
        }
        if (u < 1_000_000L) {
            return sign + decimal(u, 3) + "µs";
        }
        if (u < 1_000_000_000L) {
            return sign + decimal(u, 6) + "ms";
        }
        long hours = u / 3_600_000_000_000L;
        long minutes = u / 60_000_000_000L % 60;
        String seconds = decimal(u % 60_000_000_000L, 9) + "s";
        if (hours > 0) {
            return sign + hours + "h" + minutes + "m" + seconds;
        }
        return sign + (minutes > 0 ? minutes + "m" : "") + seconds;
    }

    /** {@code v} / 10^{@code digits}, its fraction without trailing zeros ("1.5", "2"). */
    private static String decimal(long v, int digits) {
        long scale = (long) Math.pow(10, digits);
        String fraction = String.format("%0" + digits + "d", v % scale).replaceAll("0+$", "");
        return (v / scale) + (fraction.isEmpty() ? "" : "." + fraction);
    }

    /** Nanoseconds in one {@code unit}; 0 for a unit Go does not know. */
    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> 0L;
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
}

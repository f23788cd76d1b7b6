package dev.skiff.cli.format;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's time.ParseDuration, which the docker CLI uses for flags like --health-interval ("1m30s", "500ms"). */
public final class GoDurations {
    private static final Pattern NUMBER_AND_UNIT = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)([^0-9.]*)");
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");

    private GoDurations() {
    }

    /** Nanoseconds; throws IllegalArgumentException with Go's message for text Go would refuse. */
    public static long parseNanos(String text) {
        String s = text.trim();
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
        Matcher m = PART.matcher(s);
        int at = 0;
        double total = 0;
        while (at < s.length()) {
            Matcher number = NUMBER_AND_UNIT.matcher(s).region(at, s.length());
            if (!number.lookingAt()) {
                throw invalid(text);
            }
            String unit = number.group(2);
            if (unit.isEmpty()) {
                throw new IllegalArgumentException("time: missing unit in duration \"" + text + "\"");
            }
            if (!m.find(at) || m.start() != at || m.end() != number.end()) {
                throw new IllegalArgumentException("time: unknown unit \"" + unit + "\" in duration \"" + text + "\"");
            }
            total += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
            at = m.end();
        }
        long nanos = Math.round(total);
        return negative ? -nanos : nanos;
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            default -> 3_600_000_000_000L;
        };
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
    }
}

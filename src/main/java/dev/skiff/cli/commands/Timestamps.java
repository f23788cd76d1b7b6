package dev.skiff.cli.commands;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docker's GetTimestamp for --since/--until: Go durations ("42m") relative to now, RFC 3339, or unix seconds. */
public final class Timestamps {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");

    private Timestamps() {
    }

    public static String toApi(String value, Instant now) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Duration d = goDuration(value);
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

    /** Go's time.ParseDuration for non-negative values; null when text is not a duration. */
    public static Duration goDuration(String text) {
        Matcher m = DURATION.matcher(text);
        int pos = 0;
        double nanos = 0;
        while (m.find() && m.start() == pos) {
            double n = Double.parseDouble(m.group(1));
            nanos += n * switch (m.group(2)) {
                case "ns" -> 1;
                case "us", "µs" -> 1e3;
                case "ms" -> 1e6;
                case "s" -> 1e9;
                case "m" -> 60e9;
                default -> 3600e9;
            };
            pos = m.end();
        }
        return pos == text.length() && pos > 0 ? Duration.ofNanos((long) nanos) : null;
    }
}

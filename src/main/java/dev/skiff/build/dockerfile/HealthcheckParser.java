package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.Healthcheck;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [--interval=..] [--timeout=..] ... CMD command}. */
final class HealthcheckParser {
    private static final Pattern GO_DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Duration MINIMUM = Duration.ofMillis(1);

    private HealthcheckParser() {
    }

    static Healthcheck parse(String rest, SourceLocation loc, String original, InstructionParser parser) {
        Flags flags = Flags.parse(rest, "HEALTHCHECK",
                Set.of("interval", "timeout", "start-period", "start-interval", "retries"), Set.of(), Set.of());
        InstructionParser.Split split = InstructionParser.Split.of(flags.rest());
        String type = split.keyword().toUpperCase(Locale.ROOT);
        switch (type) {
            case "NONE" -> {
                if (!split.rest().isBlank()) {
                    throw new ParseFailure("HEALTHCHECK NONE takes no arguments");
                }
                return new Healthcheck(true, null, null, null, null, null, null, loc, original);
            }
            case "CMD" -> {
                if (split.rest().isBlank()) {
                    throw new ParseFailure("Missing command after HEALTHCHECK CMD");
                }
                Command command = parser.command(split.rest(), "HEALTHCHECK CMD", true);
                Integer retries = null;
                String r = flags.string("retries");
                if (r != null) {
                    try {
                        retries = Integer.parseInt(r);
                    } catch (NumberFormatException e) {
                        throw new ParseFailure("--retries must be a number, not " + r);
                    }
                    if (retries < 0) {
                        throw new ParseFailure("--retries cannot be negative (" + r + ")");
                    }
                }
                return new Healthcheck(false, command, interval(flags, "interval"), interval(flags, "timeout"),
                        interval(flags, "start-period"), interval(flags, "start-interval"), retries, loc, original);
            }
            case "" -> throw new ParseFailure("HEALTHCHECK requires CMD or NONE");
            default -> throw new ParseFailure("Unknown type \"" + split.keyword() + "\" in HEALTHCHECK (try CMD)");
        }
    }

    private static Duration interval(Flags flags, String name) {
        String value = flags.string(name);
        if (value == null) {
            return null;
        }
        Duration d = goDuration(value)
                .orElseThrow(() -> new ParseFailure("--" + name + ": invalid duration \"" + value + "\" (e.g. 30s, 1m30s)"));
        if (d.isNegative()) {
            throw new ParseFailure("--" + name + " cannot be negative (" + value + ")");
        }
        if (!d.isZero() && d.compareTo(MINIMUM) < 0) {
            throw new ParseFailure("--" + name + " cannot be less than 1ms (" + value + ")");
        }
        return d;
    }

    /** Go's time.ParseDuration: "300ms", "1.5h", "2h45m", "-1s", "0". */
    static java.util.Optional<Duration> goDuration(String text) {
        String s = text;
        boolean negative = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            negative = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) {
            return java.util.Optional.of(Duration.ZERO);
        }
        if (s.isEmpty()) {
            return java.util.Optional.empty();
        }
        Matcher m = GO_DURATION_PART.matcher(s);
        BigDecimal nanos = BigDecimal.ZERO;
        int end = 0;
        while (m.find() && m.start() == end) {
            BigDecimal unit = switch (m.group(2)) {
                case "ns" -> BigDecimal.ONE;
                case "us", "µs" -> BigDecimal.valueOf(1_000L);
                case "ms" -> BigDecimal.valueOf(1_000_000L);
                case "s" -> BigDecimal.valueOf(1_000_000_000L);
                case "m" -> BigDecimal.valueOf(60_000_000_000L);
                default -> BigDecimal.valueOf(3_600_000_000_000L);
            };
            nanos = nanos.add(new BigDecimal(m.group(1)).multiply(unit));
            end = m.end();
        }
        if (end != s.length()) {
            return java.util.Optional.empty();
        }
        Duration d = Duration.ofNanos(nanos.longValue());
        return java.util.Optional.of(negative ? d.negated() : d);
    }
}

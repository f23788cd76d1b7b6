package dev.skiff.build.dockerfile;

import dev.skiff.build.dockerfile.Instruction.Healthcheck;
import dev.skiff.sys.GoDuration;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/** {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [--interval=..] [--timeout=..] ... CMD command}. */
final class HealthcheckParser {
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
        Duration d = GoDuration.parse(value)
                .orElseThrow(() -> new ParseFailure("--" + name + ": invalid duration \"" + value + "\" (e.g. 30s, 1m30s)"));
        if (d.isNegative()) {
            throw new ParseFailure("--" + name + " cannot be negative (" + value + ")");
        }
        if (!d.isZero() && d.compareTo(MINIMUM) < 0) {
            throw new ParseFailure("--" + name + " cannot be less than 1ms (" + value + ")");
        }
        return d;
    }
}

package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.sys.GoDuration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The --health-* and --no-healthcheck flags as the docker CLI turns them into Config.Healthcheck. */
final class HealthFlags {
    private HealthFlags() {
    }

    /** The Healthcheck to send, or null when no health flag was given (the image's check applies). */
    static Map<String, Object> healthcheck(RunOptions o) {
        long interval = nanos("--health-interval", o.healthInterval);
        long timeout = nanos("--health-timeout", o.healthTimeout);
        long startPeriod = nanos("--health-start-period", o.healthStartPeriod);
        long startInterval = nanos("--health-start-interval", o.healthStartInterval);
        int retries = o.healthRetries == null ? 0 : o.healthRetries;
        boolean any = o.healthCmd != null && !o.healthCmd.isEmpty() || interval != 0 || timeout != 0
                || startPeriod != 0 || startInterval != 0 || retries != 0;
        if (o.noHealthcheck) {
            if (any) {
                throw CliFailure.invalid("--no-healthcheck conflicts with --health-* options");
            }
            return Map.of("Test", List.of("NONE"));
        }
        if (!any) {
            return null;
        }
        requireNotNegative("--health-interval", interval);
        requireNotNegative("--health-timeout", timeout);
        requireNotNegative("--health-retries", retries);
        requireNotNegative("--health-start-period", startPeriod);
        requireNotNegative("--health-start-interval", startInterval);
        Map<String, Object> h = new LinkedHashMap<>();
        if (o.healthCmd != null && !o.healthCmd.isEmpty()) {
            h.put("Test", List.of("CMD-SHELL", o.healthCmd));
        }
        h.put("Interval", interval);
        h.put("Timeout", timeout);
        h.put("StartPeriod", startPeriod);
        h.put("StartInterval", startInterval);
        h.put("Retries", retries);
        return h;
    }

    private static long nanos(String flag, String value) {
        if (value == null) {
            return 0;
        }
        try {
            return GoDuration.parseNanos(value);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + e.getMessage());
        }
    }

    private static void requireNotNegative(String flag, long value) {
        if (value < 0) {
            throw CliFailure.invalid(flag + " cannot be negative");
        }
    }
}

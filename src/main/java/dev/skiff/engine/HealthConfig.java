package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * A container's Healthcheck (Config.Healthcheck, merged from the image by {@link ConfigMerger}) with Docker's
 * defaults filled in: interval 30s, timeout 30s, start period 0, start interval 5s, 3 retries.
 *
 * @param command the probe as exec'd: CMD args as given, CMD-SHELL through the container's shell
 */
public record HealthConfig(List<String> command, Duration interval, Duration timeout, Duration startPeriod,
                           Duration startInterval, int retries) {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30), DEFAULT_TIMEOUT = Duration.ofSeconds(30),
            DEFAULT_START_INTERVAL = Duration.ofSeconds(5);
    static final int DEFAULT_RETRIES = 3;

    /** The container's health check, or null when it has none (no Healthcheck, empty Test, or NONE). */
    public static HealthConfig of(JsonNode config) {
        JsonNode h = config.path("Healthcheck");
        List<String> test = ConfigMerger.strings(h.get("Test"));
        if (test.isEmpty() || test.getFirst().equals("NONE")) {
            return null;
        }
        List<String> command = switch (test.getFirst()) {
            case "CMD" -> test.subList(1, test.size());
            case "CMD-SHELL" -> {
                List<String> shell = ConfigMerger.strings(config.get("Shell"));
                List<String> argv = new java.util.ArrayList<>(shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
                argv.add(String.join(" ", test.subList(1, test.size())));
                yield argv;
            }
            // Docker treats a Test without a CMD/CMD-SHELL/NONE prefix as an error at create; be lenient here
            default -> test;
        };
        if (command.isEmpty()) {
            return null;
        }
        return new HealthConfig(List.copyOf(command), duration(h, "Interval", DEFAULT_INTERVAL),
                duration(h, "Timeout", DEFAULT_TIMEOUT), duration(h, "StartPeriod", Duration.ZERO),
                duration(h, "StartInterval", DEFAULT_START_INTERVAL),
                h.path("Retries").asInt(0) > 0 ? h.path("Retries").asInt() : DEFAULT_RETRIES);
    }

    /** Docker's durations are nanoseconds; 0 or absent means the default. */
    private static Duration duration(JsonNode h, String field, Duration fallback) {
        long nanos = h.path(field).asLong(0);
        return nanos > 0 ? Duration.ofNanos(nanos) : fallback;
    }

    /**
     * Checks a create request's Healthcheck as Docker does (its messages), so a bad value fails at create,
     * not silently at run time.
     */
    public static void validate(JsonNode healthcheck) {
        if (healthcheck == null || healthcheck.isNull() || healthcheck.isMissingNode()) {
            return;
        }
        for (String f : List.of("Interval", "Timeout", "StartPeriod", "StartInterval")) {
            long v = healthcheck.path(f).asLong(0);
            if (v != 0 && v < 1_000_000) {
                throw new dev.skiff.errors.InvalidArgumentException(
                        "Interval in Healthcheck cannot be less than 1ms".replace("Interval", f));
            }
        }
        if (healthcheck.path("Retries").asInt(0) < 0) {
            throw new dev.skiff.errors.InvalidArgumentException("Retries in Healthcheck cannot be negative");
        }
    }
}

package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import java.util.Locale;

/**
 * HostConfig.LogConfig's rotation settings: max-size (Docker's decimal units: "10m" = 10,000,000) and max-file;
 * {@code none}: the "none" driver, which keeps no log at all. A driver that ships lines away (syslog, journald, gelf,
 * fluentd) keeps the local copy dockerd's dual logging keeps, rotated by cache-max-size (20m) and cache-max-file (5);
 * with cache-disabled it keeps one small file, only for the shipper, and {@code docker logs} cannot read it.
 */
public record LogConfig(long maxSize, int maxFiles, boolean none) {
    static final long CACHE_MAX_SIZE = 20_000_000, UNCACHED_SIZE = 1_000_000;
    static final int CACHE_MAX_FILES = 5;

    /** Whether docker logs can read the container's log: not with none, nor with a shipping driver's cache disabled. */
    public static boolean readable(JsonNode hostConfig) {
        return !hostConfig.path("LogConfig").path("Type").asText("").equals("none") && !cacheDisabled(hostConfig);
    }

    /** A shipping driver's cache-disabled: the local log is the shipper's alone. */
    private static boolean cacheDisabled(JsonNode hostConfig) {
        JsonNode lc = hostConfig.path("LogConfig");
        return dev.skiff.engine.logging.LogDrivers.ships(lc.path("Type").asText(""))
                && "true".equalsIgnoreCase(lc.path("Config").path("cache-disabled").asText(""));
    }

    /** Refuses a daemon default log driver or option that a container's create would refuse. */
    public static void checkDaemonDefault(String driver, java.util.Map<String, String> opts) {
        HostConfigRules.checkDefaultLogConfig(driver, opts);
    }

    public static LogConfig of(JsonNode hostConfig, EngineOptions defaults) {
        String type = hostConfig.path("LogConfig").path("Type").asText("");
        if ("none".equals(type)) {
            return new LogConfig(0, 1, true);
        }
        JsonNode cfg = hostConfig.path("LogConfig").path("Config");
        if (cacheDisabled(hostConfig)) {
            return new LogConfig(UNCACHED_SIZE, 1, false);
        }
        if (dev.skiff.engine.logging.LogDrivers.ships(type)) {
            return new LogConfig(cfg.has("cache-max-size") ? parseSize(cfg.get("cache-max-size").asText()) : CACHE_MAX_SIZE,
                    cfg.has("cache-max-file") ? parseFiles(cfg.get("cache-max-file").asText()) : CACHE_MAX_FILES, false);
        }
        long size = cfg.has("max-size") ? parseSize(cfg.get("max-size").asText()) : defaults.logMaxSize();
        int files = cfg.has("max-file") ? parseFiles(cfg.get("max-file").asText()) : defaults.logMaxFiles();
        return new LogConfig(size, files, false);
    }

    static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("-1") || t.isEmpty()) {
            return 0;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)i?b?").matcher(t);
        if (!m.matches()) {
            throw new InvalidArgumentException("invalid log max-size " + text + ": use a size like 10m or 1g");
        }
        double n = Double.parseDouble(m.group(1));
        long mult = switch (m.group(2)) {
            case "k" -> 1000L;
            case "m" -> 1000L * 1000;
            case "g" -> 1000L * 1000 * 1000;
            case "t" -> 1000L * 1000 * 1000 * 1000;
            default -> 1;
        };
        return (long) (n * mult);
    }

    static int parseFiles(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("invalid log max-file " + text + ": use a number of files, 1 or more");
        }
    }
}

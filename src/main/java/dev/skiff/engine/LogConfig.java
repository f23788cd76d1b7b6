package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import java.util.Locale;

/**
 * HostConfig.LogConfig's rotation settings: max-size (Docker's decimal units: "10m" = 10,000,000) and max-file;
 * {@code none}: the "none" driver, which keeps no log at all.
 */
public record LogConfig(long maxSize, int maxFiles, boolean none) {
    public static LogConfig of(JsonNode hostConfig, EngineOptions defaults) {
        if ("none".equals(hostConfig.path("LogConfig").path("Type").asText(""))) {
            return new LogConfig(0, 1, true);
        }
        JsonNode cfg = hostConfig.path("LogConfig").path("Config");
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

    private static int parseFiles(String text) {
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

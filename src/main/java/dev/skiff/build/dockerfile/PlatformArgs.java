package dev.skiff.build.dockerfile;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The automatic platform ARGs (BUILDPLATFORM, BUILDOS, BUILDARCH, BUILDVARIANT and the TARGET* set),
 * derived from an "os/arch[/variant]" pair. They are defined in the global scope without a declaration;
 * inside a stage only after {@code ARG TARGETARCH} (and so on) redeclares them.
 */
public record PlatformArgs(String buildPlatform, String targetPlatform) {
    /** The host's platform as Docker names it, e.g. "linux/amd64". */
    public static PlatformArgs host() {
        String arch = switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "arm" -> "arm/v7";
            case String other -> other;
        };
        return new PlatformArgs("linux/" + arch, "linux/" + arch);
    }

    /** The eight ARG names and values. */
    public Map<String, String> values() {
        Map<String, String> out = new LinkedHashMap<>();
        put(out, "BUILD", buildPlatform);
        put(out, "TARGET", targetPlatform);
        return out;
    }

    private static void put(Map<String, String> out, String prefix, String platform) {
        String[] parts = platform.split("/", 3);
        out.put(prefix + "PLATFORM", platform);
        out.put(prefix + "OS", parts[0]);
        out.put(prefix + "ARCH", parts.length > 1 ? parts[1] : "");
        out.put(prefix + "VARIANT", parts.length > 2 ? parts[2] : "");
    }
}

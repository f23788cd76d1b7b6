package dev.skiff.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** /proc/meminfo. */
public final class MemInfo {
    private MemInfo() {
    }

    /** The bytes of a /proc/meminfo row ("MemTotal", "MemAvailable"), or -1 when it cannot be read. */
    public static long bytes(String row) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith(row + ":")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // below: unknown
        }
        return -1;
    }
}

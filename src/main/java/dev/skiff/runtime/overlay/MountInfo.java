package dev.skiff.runtime.overlay;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads /proc/self/mountinfo: the kernel's own answer to "is this a mount point", immune to stale state files. */
final class MountInfo {
    private MountInfo() {
    }

    static boolean isMountPoint(Path dir) {
        String want = dir.toAbsolutePath().normalize().toString();
        try (var lines = Files.lines(Path.of("/proc/self/mountinfo"))) {
            return lines.anyMatch(line -> {
                String[] f = line.split(" ", 6);
                return f.length > 4 && unescape(f[4]).equals(want);
            });
        } catch (IOException e) {
            return false;
        }
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length()) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}

package dev.skiff.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's mount table (/proc/self/mountinfo): the kernel's answer to "is this mounted, and how", immune to
 * stale state files after a crash.
 */
public final class MountTable {
    /** One mountinfo line: the mount point and its optional fields ("shared:1", "master:2"). */
    public record Entry(String mountPoint, List<String> optional) {
        public boolean shared() {
            return optional.stream().anyMatch(o -> o.startsWith("shared:"));
        }

        public boolean slave() {
            return optional.stream().anyMatch(o -> o.startsWith("master:"));
        }
    }

    private MountTable() {
    }

    public static List<Entry> read() {
        List<Entry> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length < 7) {
                    continue;
                }
                List<String> optional = new ArrayList<>();
                for (int i = 6; i < f.length && !f[i].equals("-"); i++) {
                    optional.add(f[i]);
                }
                out.add(new Entry(unescape(f[4]), optional));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    public static boolean isMountPoint(Path dir) {
        String want = dir.toAbsolutePath().normalize().toString();
        return read().stream().anyMatch(e -> e.mountPoint().equals(want));
    }

    /** The mount that holds {@code path} (the last-mounted one with the longest matching mount point). */
    public static Entry containing(Path path) {
        String p = path.toAbsolutePath().normalize().toString();
        Entry best = null;
        for (Entry e : read()) {
            String m = e.mountPoint();
            boolean under = p.equals(m) || m.equals("/") || p.startsWith(m + "/");
            if (under && (best == null || m.length() >= best.mountPoint().length())) {
                best = e;
            }
        }
        return best;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 ...). */
    public static String unescape(String s) {
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

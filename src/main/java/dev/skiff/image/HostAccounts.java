package dev.skiff.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The host's user and group names by ID, from /etc/passwd and /etc/group, read once per archive: dockerd's tar
 * headers for docker cp and export carry them (Go's tar.FileInfoHeader looks them up on the daemon's host), so
 * `tar -tv` shows root/root, and an ID the host does not name gets no name, as there.
 */
final class HostAccounts {
    private static final long MAX_FILE = 4L << 20;
    private final Map<Integer, String> users;
    private final Map<Integer, String> groups;

    private HostAccounts(Map<Integer, String> users, Map<Integer, String> groups) {
        this.users = users;
        this.groups = groups;
    }

    static HostAccounts read() {
        return read(Path.of("/etc/passwd"), Path.of("/etc/group"));
    }

    static HostAccounts read(Path passwd, Path group) {
        return new HostAccounts(names(passwd), names(group));
    }

    String user(int uid) {
        return users.getOrDefault(uid, "");
    }

    String group(int gid) {
        return groups.getOrDefault(gid, "");
    }

    /** name:x:ID:... lines; the first name of an ID wins, as getpwuid's does. Unreadable: no names. */
    private static Map<Integer, String> names(Path file) {
        Map<Integer, String> byId = new HashMap<>();
        try {
            if (Files.size(file) > MAX_FILE) {
                return byId;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.split(":", 4);
                if (f.length < 3 || f[0].isEmpty() || line.startsWith("#")) {
                    continue;
                }
                try {
                    byId.putIfAbsent(Integer.parseInt(f[2]), f[0]);
                } catch (NumberFormatException e) {
                    // a malformed line names nobody
                }
            }
        } catch (IOException | RuntimeException e) {
            return byId;
        }
        return byId;
    }
}

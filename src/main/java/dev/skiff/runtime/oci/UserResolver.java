package dev.skiff.runtime.oci;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.SafePaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves Docker's --user ("name", "uid", "uid:gid", "name:group") against the image's /etc/passwd and
 * /etc/group, the way runc's libcontainer/user.GetExecUser does: names must exist, numbers need not.
 * Supplementary groups are the primary group (as dockerd and containerd set them: a process keeps its own group
 * after setgroups), those listing the user unless a group was given, and --group-add.
 */
public final class UserResolver {
    /** The resolved identity and the home directory for HOME. */
    public record ResolvedUser(long uid, long gid, List<Long> additionalGids, String home) {
    }

    private record PasswdEntry(String name, long uid, long gid, String home) {
    }

    private record GroupEntry(String name, long gid, List<String> members) {
    }

    private UserResolver() {
    }

    public static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) {
        String spec = user == null ? "" : user.trim();
        String userPart = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        String groupPart = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : "";
        Optional<List<PasswdEntry>> passwd = readFile(rootfs, "etc/passwd").map(UserResolver::parsePasswd);
        Optional<List<GroupEntry>> groups = readFile(rootfs, "etc/group").map(UserResolver::parseGroups);

        long uid = 0, gid = 0;
        String home = "/", name = null;
        if (userPart.isEmpty()) {
            userPart = "0";
        }
        Long numericUid = parseId(userPart);
        PasswdEntry entry = null;
        if (passwd.isPresent()) {
            for (PasswdEntry p : passwd.get()) {
                if (numericUid == null ? p.name.equals(userPart) : p.uid == numericUid) {
                    entry = p;
                    break;
                }
            }
        }
        if (entry != null) {
            uid = entry.uid;
            gid = entry.gid;
            home = entry.home;
            name = entry.name;
        } else if (numericUid != null) {
            uid = numericUid;
        } else if (passwd.isPresent()) {
            throw new InvalidArgumentException("unable to find user " + userPart + ": no matching entries in passwd file");
        } else {
            throw new InvalidArgumentException("unable to find user " + userPart
                    + ": the image has no /etc/passwd (give a numeric uid)");
        }

        if (!groupPart.isEmpty()) {
            gid = lookupGroup(groupPart, groups);
        }
        Set<Long> extra = new LinkedHashSet<>();
        extra.add(gid);
        if (!groupPart.isEmpty()) {
            // a group given names the only group: none from /etc/group, as runc's GetExecUser
        } else if (name != null && groups.isPresent()) {
            for (GroupEntry g : groups.get()) {
                if (g.members.contains(name)) {
                    extra.add(g.gid);
                }
            }
        }
        if (groupAdd != null) {
            for (String g : groupAdd) {
                extra.add(lookupGroup(g, groups, "Unable")); // as dockerd words a --group-add miss
            }
        }
        return new ResolvedUser(uid, gid, new ArrayList<>(extra), home);
    }

    private static long lookupGroup(String group, Optional<List<GroupEntry>> groups) {
        return lookupGroup(group, groups, "unable");
    }

    private static long lookupGroup(String group, Optional<List<GroupEntry>> groups, String unable) {
        Long numeric = parseId(group);
        if (numeric != null) {
            return numeric;
        }
        if (groups.isEmpty()) {
            throw new InvalidArgumentException(unable + " to find group " + group
                    + ": the image has no /etc/group (give a numeric gid)");
        }
        return groups.get().stream().filter(g -> g.name.equals(group)).findFirst()
                .orElseThrow(() -> new InvalidArgumentException(unable + " to find group " + group
                        + ": no matching entries in group file"))
                .gid;
    }

    private static Long parseId(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 10) {
            return null;
        }
        return Long.parseLong(s);
    }

    private static List<PasswdEntry> parsePasswd(List<String> lines) {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 6 && parseId(f[2]) != null && parseId(f[3]) != null) {
                out.add(new PasswdEntry(f[0], parseId(f[2]), parseId(f[3]), f[5].isEmpty() ? "/" : f[5]));
            }
        }
        return out;
    }

    private static List<GroupEntry> parseGroups(List<String> lines) {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.split(":", -1);
            if (f.length >= 3 && parseId(f[2]) != null) {
                List<String> members = f.length > 3 && !f[3].isBlank() ? List.of(f[3].trim().split(",")) : List.of();
                out.add(new GroupEntry(f[0], parseId(f[2]), members));
            }
        }
        return out;
    }

    /**
     * Reads a file of the rootfs, following symlinks inside the rootfs only: an image may link /etc/passwd
     * anywhere, and that must never reach the host's own files.
     */
    private static Optional<List<String>> readFile(Path rootfs, String name) {
        try {
            Path p = SafePaths.resolve(rootfs, name);
            for (int hops = 0; Files.isSymbolicLink(p) && hops < 16; hops++) {
                Path target = Files.readSymbolicLink(p);
                String next = target.isAbsolute() ? target.toString()
                        : rootfs.toAbsolutePath().normalize().relativize(p.getParent()).resolve(target).toString();
                p = SafePaths.resolve(rootfs, next);
            }
            return Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Optional.of(Files.readAllLines(p)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}

package dev.skiff.build.copy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.oci.UserResolver;
import java.nio.file.Path;
import java.util.List;

/**
 * The owner --chown gives copied files: "user", "user:group", numeric or named in any mix. Names come from
 * the destination rootfs's /etc/passwd and /etc/group (a missing name fails the build); with only a user
 * the gid is the same number as the uid, as the reference says.
 */
record Ownership(long uid, long gid) {
    static final Ownership ROOT = new Ownership(0, 0);

    static Ownership resolve(String chown, Path destRoot) {
        if (chown == null || chown.isEmpty()) {
            return ROOT;
        }
        int colon = chown.indexOf(':');
        String user = colon < 0 ? chown : chown.substring(0, colon);
        String group = colon < 0 ? null : chown.substring(colon + 1);
        if (user.isEmpty() && (group == null || group.isEmpty())) {
            throw new InvalidArgumentException("invalid --chown value \"" + chown + "\" (give user, user:group or uid:gid)");
        }
        try {
            long uid = user.isEmpty() ? 0 : UserResolver.resolve(destRoot, user, List.of()).uid();
            long gid;
            if (group == null || group.isEmpty()) {
                gid = uid;
            } else {
                gid = UserResolver.resolve(destRoot, "0:" + group, List.of()).gid();
            }
            return new Ownership(uid, gid);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("--chown=" + chown + ": " + e.getMessage(), e);
        }
    }
}

package dev.skiff.daemon;

import java.nio.file.Files;
import java.nio.file.Path;

/** "2" on a pure cgroup v2 host, "1" on v1 or hybrid hosts (where runc uses the v1 controllers). */
final class CgroupVersion {
    private CgroupVersion() {
    }

    static String detect() {
        return Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers")) ? "2" : "1";
    }
}

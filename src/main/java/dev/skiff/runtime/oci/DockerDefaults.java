package dev.skiff.runtime.oci;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** The fixed parts of Docker's default Linux spec (moby oci/defaults.go and daemon/oci_linux.go). */
final class DockerDefaults {
    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    static final List<String> MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    static final List<String> READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");

    private DockerDefaults() {
    }

    /** /proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue, /dev/shm as Docker mounts them. */
    static List<OciConfig.Mount> mounts(boolean privileged) {
        String sysMode = privileged ? "rw" : "ro";
        return List.of(
                new OciConfig.Mount("/proc", "proc", "proc", List.of("nosuid", "noexec", "nodev")),
                new OciConfig.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755", "size=65536k")),
                new OciConfig.Mount("/dev/pts", "devpts", "devpts",
                        List.of("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5")),
                new OciConfig.Mount("/sys", "sysfs", "sysfs", List.of("nosuid", "noexec", "nodev", sysMode)),
                new OciConfig.Mount("/sys/fs/cgroup", "cgroup", "cgroup", List.of(sysMode, "nosuid", "noexec", "nodev")),
                new OciConfig.Mount("/dev/mqueue", "mqueue", "mqueue", List.of("nosuid", "noexec", "nodev")),
                new OciConfig.Mount("/dev/shm", "tmpfs", "shm",
                        List.of("nosuid", "noexec", "nodev", "mode=1777", "size=67108864")));
    }

    /** The device cgroup: deny all, then mknod of any node and the standard character devices. */
    static List<OciConfig.DeviceRule> deviceRules(boolean privileged) {
        if (privileged) {
            return List.of(new OciConfig.DeviceRule(true, null, null, null, "rwm"));
        }
        return List.of(
                new OciConfig.DeviceRule(false, null, null, null, "rwm"),
                new OciConfig.DeviceRule(true, "c", null, null, "m"),
                new OciConfig.DeviceRule(true, "b", null, null, "m"),
                new OciConfig.DeviceRule(true, "c", 1L, 3L, "rwm"),     // /dev/null
                new OciConfig.DeviceRule(true, "c", 1L, 8L, "rwm"),     // /dev/random
                new OciConfig.DeviceRule(true, "c", 1L, 7L, "rwm"),     // /dev/full
                new OciConfig.DeviceRule(true, "c", 5L, 0L, "rwm"),     // /dev/tty
                new OciConfig.DeviceRule(true, "c", 1L, 5L, "rwm"),     // /dev/zero
                new OciConfig.DeviceRule(true, "c", 1L, 9L, "rwm"),     // /dev/urandom
                new OciConfig.DeviceRule(true, "c", 136L, null, "rwm"), // /dev/pts/*
                new OciConfig.DeviceRule(true, "c", 5L, 2L, "rwm"),     // /dev/ptmx
                new OciConfig.DeviceRule(true, "c", 10L, 200L, "rwm")); // /dev/net/tun
    }

    /** Every device node of the host's /dev, for --privileged (Docker passes them all through). */
    static List<OciConfig.Device> hostDevices() {
        // Nodes runc creates itself, or that belong to the host's own terminal session, are skipped.
        Set<String> skip = Set.of("/dev/pts", "/dev/shm", "/dev/mqueue", "/dev/console", "/dev/ptmx", "/dev/fd",
                "/dev/stdin", "/dev/stdout", "/dev/stderr");
        List<OciConfig.Device> out = new ArrayList<>();
        try (Stream<Path> paths = Files.walk(Path.of("/dev"), 3)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (skip.stream().anyMatch(s -> p.toString().equals(s) || p.toString().startsWith(s + "/"))
                        || Files.isSymbolicLink(p) || Files.isDirectory(p)) {
                    continue;
                }
                Object type = Files.getAttribute(p, "unix:mode");
                int mode = (Integer) type;
                int fmt = mode & 0170000;
                if (fmt != 0020000 && fmt != 0060000) {
                    continue;
                }
                long rdev = (Long) Files.getAttribute(p, "unix:rdev");
                long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
                long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
                out.add(new OciConfig.Device(p.toString(), fmt == 0020000 ? "c" : "b", major, minor, mode & 07777,
                        ((Integer) Files.getAttribute(p, "unix:uid")).longValue(),
                        ((Integer) Files.getAttribute(p, "unix:gid")).longValue()));
            }
        } catch (IOException | RuntimeException e) {
            // A device that vanished mid-walk is not worth failing a privileged container over.
        }
        return out;
    }
}

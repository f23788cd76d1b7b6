package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.RuntimeSpec.BlkioThrottle.Kind;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * HostConfig's BlkioDeviceReadBps, BlkioDeviceWriteBps, BlkioDeviceReadIOps and BlkioDeviceWriteIOps
 * ([{"Path": "/dev/sda", "Rate": N}]) and BlkioWeightDevice ([{"Path": ..., "Weight": N}]) as cgroup settings on
 * the device's major:minor, which dockerd reads from the path when the container starts.
 */
final class BlkioThrottles {
    private static final Map<String, Kind> FIELDS = Map.of("BlkioDeviceReadBps", Kind.READ_BPS,
            "BlkioDeviceWriteBps", Kind.WRITE_BPS, "BlkioDeviceReadIOps", Kind.READ_IOPS,
            "BlkioDeviceWriteIOps", Kind.WRITE_IOPS);

    private BlkioThrottles() {
    }

    /**
     * Refuses entries without a path, with a negative rate or a weight outside 10-1000, or naming something other
     * than a block device; drops the weights when the host has no weight knob (as dockerd does, with its warning).
     */
    static void check(com.fasterxml.jackson.databind.node.ObjectNode hostConfig, boolean weightSupported,
                      List<String> warnings) {
        for (JsonNode d : hostConfig.path("BlkioWeightDevice")) {
            long w = d.path("Weight").asLong(-1);
            if (d.path("Path").asText("").isEmpty() || (w != 0 && (w < 10 || w > 1000))) {
                throw new InvalidArgumentException("invalid BlkioWeightDevice entry " + d
                        + ": give a device path and a weight from 10 to 1000 ({\"Path\": \"/dev/sda\", \"Weight\": 500})");
            }
            device("BlkioWeightDevice", d.path("Path").asText(""));
        }
        if (!hostConfig.path("BlkioWeightDevice").isEmpty() && !weightSupported) {
            warnings.add("Your kernel does not support Block I/O weight_device or the cgroup is not mounted. "
                    + "Weight-device discarded.");
            hostConfig.putArray("BlkioWeightDevice");
        }
        for (String field : FIELDS.keySet()) {
            for (JsonNode d : hostConfig.path(field)) {
                String path = d.path("Path").asText("");
                if (path.isEmpty() || d.path("Rate").asLong(-1) < 0) {
                    throw new InvalidArgumentException("invalid " + field + " entry " + d
                            + ": give a device path and a rate of 0 or more ({\"Path\": \"/dev/sda\", \"Rate\": 1048576})");
                }
                device(field, path);
            }
        }
    }

    /** The throttles of a HostConfig, with each device's numbers read now. */
    static List<RuntimeSpec.BlkioThrottle> of(JsonNode hostConfig) {
        List<RuntimeSpec.BlkioThrottle> out = new ArrayList<>();
        for (Map.Entry<String, Kind> f : FIELDS.entrySet()) {
            for (JsonNode d : hostConfig.path(f.getKey())) {
                long[] dev = device(f.getKey(), d.path("Path").asText(""));
                out.add(new RuntimeSpec.BlkioThrottle(f.getValue(), dev[0], dev[1], d.path("Rate").asLong(0)));
            }
        }
        for (JsonNode d : hostConfig.path("BlkioWeightDevice")) {
            long[] dev = device("BlkioWeightDevice", d.path("Path").asText(""));
            out.add(new RuntimeSpec.BlkioThrottle(Kind.WEIGHT, dev[0], dev[1], d.path("Weight").asLong(0)));
        }
        return out;
    }

    private static long[] device(String field, String path) {
        try {
            Path p = Path.of(path);
            int mode = (int) Files.getAttribute(p, "unix:mode");
            if ((mode & Syscalls.S_IFMT) != Syscalls.S_IFBLK) {
                throw new InvalidArgumentException("cannot apply " + field + " to " + path
                        + ": it is not a block device (name a disk such as /dev/sda)");
            }
            long rdev = (long) Files.getAttribute(p, "unix:rdev");
            return new long[] {Syscalls.major(rdev), Syscalls.minor(rdev)};
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw new InvalidArgumentException("cannot apply " + field + " to " + path + ": " + e.getMessage()
                    + " (no such device on this host)");
        }
    }
}

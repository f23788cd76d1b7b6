package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.format.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-device block I/O flags as the docker CLI checks and sends them: {@code PATH:RATE} with a size unit for
 * --device-read-bps/--device-write-bps, {@code PATH:N} for the IOPS flags, {@code PATH:WEIGHT} for
 * --blkio-weight-device; the path must be under /dev/.
 */
final class BlkioDeviceFlags {
    private static final String BPS_FORMAT = ". The correct format is <device-path>:<number>[<unit>]. Number must be a"
            + " positive integer. Unit is optional and can be kb, mb, or gb";

    private BlkioDeviceFlags() {
    }

    /** [{"Path", "Rate"}] from PATH:RATE[kb|mb|gb] values. */
    static List<Map<String, Object>> bps(String flag, List<String> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String v : values) {
            String[] kv = pathAndValue(flag, v);
            long rate;
            try {
                rate = Units.ramInBytes(kv[1]);
            } catch (IllegalArgumentException e) {
                rate = -1;
            }
            if (rate < 0) {
                throw bad(flag, v, "invalid rate for device: " + v + BPS_FORMAT);
            }
            out.add(entry(kv[0], "Rate", rate));
        }
        return out;
    }

    /** [{"Path", "Rate"}] from PATH:N values. */
    static List<Map<String, Object>> iops(String flag, List<String> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String v : values) {
            String[] kv = pathAndValue(flag, v);
            try {
                out.add(entry(kv[0], "Rate", Long.parseUnsignedLong(kv[1])));
            } catch (NumberFormatException e) {
                throw bad(flag, v, "invalid rate for device: " + v
                        + ". The correct format is <device-path>:<number>. Number must be a positive integer");
            }
        }
        return out;
    }

    /** [{"Path", "Weight"}] from PATH:WEIGHT values (10 to 1000, or 0). */
    static List<Map<String, Object>> weights(String flag, List<String> values) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String v : values) {
            String[] kv = pathAndValue(flag, v);
            int weight;
            try {
                weight = Integer.parseInt(kv[1]);
            } catch (NumberFormatException e) {
                weight = -1;
            }
            if (weight < 0 || weight > 65535 || (weight > 0 && (weight < 10 || weight > 1000))) {
                throw bad(flag, v, "invalid weight for device: " + v);
            }
            out.add(entry(kv[0], "Weight", weight));
        }
        return out;
    }

    private static String[] pathAndValue(String flag, String v) {
        int colon = v.indexOf(':');
        if (colon <= 0) {
            throw bad(flag, v, "bad format: " + v);
        }
        String path = v.substring(0, colon);
        if (!path.startsWith("/dev/")) {
            throw bad(flag, v, "bad format for device path: " + v);
        }
        return new String[] {path, v.substring(colon + 1)};
    }

    private static Map<String, Object> entry(String path, String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Path", path);
        m.put(key, value);
        return m;
    }

    private static CliFailure bad(String flag, String value, String why) {
        return CliFailure.usage("invalid argument \"" + value + "\" for \"" + flag + "\" flag: " + why);
    }
}

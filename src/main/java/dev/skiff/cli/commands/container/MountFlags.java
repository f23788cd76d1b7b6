package dev.skiff.cli.commands.container;

import dev.skiff.cli.commands.CliFailure;
import dev.skiff.cli.format.Units;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The docker CLI's client-side handling of --mount (opts/mount.go: CSV fields into a HostConfig.Mounts entry,
 * with its messages) and of -v (relative host paths made absolute; a bare container path is an anonymous volume).
 */
public final class MountFlags {
    private MountFlags() {
    }

    /** One --mount value as the HostConfig.Mounts JSON docker sends. */
    public static Map<String, Object> parseMount(String value) {
        try {
            return mount(value);
        } catch (IllegalArgumentException e) {
            throw CliFailure.usage("invalid argument \"" + value + "\" for \"--mount\" flag: " + e.getMessage());
        }
    }

    private static Map<String, Object> mount(String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> bind = null;
        Map<String, Object> vol = null;
        Map<String, Object> tmpfs = null;
        String type = "volume";
        String target = "";
        boolean readOnly = false;
        for (String field : csv(value)) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            String val = eq < 0 ? null : field.substring(eq + 1);
            if (val == null) {
                switch (key) {
                    case "readonly", "ro" -> readOnly = true;
                    case "volume-nocopy" -> (vol = vol == null ? volumeOptions() : vol).put("NoCopy", true);
                    case "bind-nonrecursive" -> (bind = bind == null ? new LinkedHashMap<>() : bind).put("NonRecursive", true);
                    default -> throw new IllegalArgumentException("invalid field '" + field + "' must be a key=value pair");
                }
                continue;
            }
            switch (key) {
                case "type" -> type = val.toLowerCase(Locale.ROOT);
                case "source", "src" -> m.put("Source", val.equals(".") || val.startsWith("./")
                        ? Path.of(val).toAbsolutePath().normalize().toString() : val);
                case "target", "dst", "destination" -> target = val;
                case "readonly", "ro" -> readOnly = bool(key, val);
                case "consistency" -> m.put("Consistency", val.toLowerCase(Locale.ROOT));
                case "bind-propagation" -> (bind = bind == null ? new LinkedHashMap<>() : bind).put("Propagation", val.toLowerCase(Locale.ROOT));
                case "bind-nonrecursive" -> (bind = bind == null ? new LinkedHashMap<>() : bind).put("NonRecursive", bool(key, val));
                case "bind-recursive" -> {
                    bind = bind == null ? new LinkedHashMap<>() : bind;
                    switch (val) {
                        case "enabled" -> { }
                        case "disabled" -> bind.put("NonRecursive", true);
                        case "writable" -> bind.put("ReadOnlyNonRecursive", true);
                        case "readonly" -> bind.put("ReadOnlyForceRecursive", true);
                        default -> throw new IllegalArgumentException("invalid value for " + key + ": " + val
                                + " (must be \"enabled\", \"disabled\", \"writable\", or \"readonly\")");
                    }
                }
                case "volume-subpath" -> (vol = vol == null ? volumeOptions() : vol).put("Subpath", val);
                case "volume-nocopy" -> {
                    vol = vol == null ? volumeOptions() : vol;
                    try {
                        vol.put("NoCopy", bool(key, val));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("invalid value for volume-nocopy: " + val);
                    }
                }
                case "volume-label" -> putKeyValue(sub(vol = vol == null ? volumeOptions() : vol, "Labels"), val);
                case "volume-driver" -> sub(vol = vol == null ? volumeOptions() : vol, "DriverConfig").put("Name", val);
                case "volume-opt" -> {
                    Map<String, Object> driver = sub(vol = vol == null ? volumeOptions() : vol, "DriverConfig");
                    putKeyValue(sub(driver, "Options"), val);
                }
                case "tmpfs-size" -> {
                    try {
                        (tmpfs = tmpfs == null ? new LinkedHashMap<>() : tmpfs).put("SizeBytes", Units.ramInBytes(val));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("invalid value for " + key + ": " + val);
                    }
                }
                case "tmpfs-mode" -> {
                    try {
                        (tmpfs = tmpfs == null ? new LinkedHashMap<>() : tmpfs).put("Mode", Integer.parseUnsignedInt(val, 8));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("invalid value for " + key + ": " + val);
                    }
                }
                default -> throw new IllegalArgumentException("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (type.isEmpty()) {
            throw new IllegalArgumentException("type is required");
        }
        if (target.isEmpty()) {
            throw new IllegalArgumentException("target is required");
        }
        for (Object[] o : new Object[][] {{vol, "volume", "volume-*"}, {bind, "bind", "bind-*"}, {tmpfs, "tmpfs", "tmpfs-*"}}) {
            if (o[0] != null && !type.equals(o[1])) {
                throw new IllegalArgumentException("cannot mix '" + o[2] + "' options with mount type '" + type + "'");
            }
        }
        if (bind != null && Boolean.TRUE.equals(bind.get("ReadOnlyNonRecursive")) && !readOnly) {
            throw new IllegalArgumentException("option 'bind-recursive=writable' requires 'readonly' to be specified in conjunction");
        }
        if (bind != null && Boolean.TRUE.equals(bind.get("ReadOnlyForceRecursive"))) {
            if (!readOnly) {
                throw new IllegalArgumentException("option 'bind-recursive=readonly' requires 'readonly' to be specified in conjunction");
            }
            if (!"rprivate".equals(bind.get("Propagation"))) {
                throw new IllegalArgumentException("option 'bind-recursive=readonly' requires 'bind-propagation=rprivate' to be specified in conjunction");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("Type", type);
        out.put("Source", m.getOrDefault("Source", ""));
        out.put("Target", target);
        if (readOnly) {
            out.put("ReadOnly", true);
        }
        if (m.containsKey("Consistency")) {
            out.put("Consistency", m.get("Consistency"));
        }
        if (bind != null) {
            out.put("BindOptions", bind);
        }
        if (vol != null) {
            out.put("VolumeOptions", vol);
        }
        if (tmpfs != null) {
            out.put("TmpfsOptions", tmpfs);
        }
        return out;
    }

    /** -v values with a host side, relative host paths ("./data", ".") made absolute as docker 23+ does. */
    public static List<String> binds(List<String> volumes) {
        List<String> out = new ArrayList<>();
        for (String v : volumes) {
            int colon = v.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String host = v.substring(0, colon);
            if (host.equals(".") || host.startsWith("./") || host.equals("..") || host.startsWith("../")) {
                host = Path.of(host).toAbsolutePath().normalize().toString();
            }
            out.add(host + v.substring(colon));
        }
        return out;
    }

    private static Map<String, Object> volumeOptions() {
        Map<String, Object> vol = new LinkedHashMap<>();
        vol.put("Labels", new LinkedHashMap<String, Object>());
        return vol;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }

    private static void putKeyValue(Map<String, Object> target, String kv) {
        int eq = kv.indexOf('=');
        String k = eq < 0 ? kv : kv.substring(0, eq);
        if (!k.isEmpty()) {
            target.put(k, eq < 0 ? "" : kv.substring(eq + 1));
        }
    }

    private static boolean bool(String key, String val) {
        return switch (val) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            case "0", "f", "F", "false", "FALSE", "False" -> false;
            default -> throw new IllegalArgumentException("invalid value for " + key + ": " + val);
        };
    }

    /** One CSV record (Go's encoding/csv): commas split fields, double quotes protect commas inside one. */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else {
                    quoted = !quoted;
                }
            } else if (c == ',' && !quoted) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}

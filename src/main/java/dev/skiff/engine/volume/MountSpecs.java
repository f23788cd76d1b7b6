package dev.skiff.engine.volume;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The daemon's parsing of HostConfig.Binds ("src:dst[:mode]"), HostConfig.Mounts and VolumesFrom, with the
 * checks and messages of Docker's linux mount parser (volume/mounts/linux_parser.go).
 */
public final class MountSpecs {
    static final Set<String> PROPAGATION = Set.of("private", "rprivate", "shared", "rshared", "slave", "rslave");
    private static final Set<String> RW = Set.of("rw", "ro");
    private static final Set<String> LABEL = Set.of("z", "Z");
    private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated");
    private static final Set<String> RECURSIVE = Set.of("enabled", "disabled", "writable", "readonly");

    /**
     * A parsed mount: its mount point plus, for a volume, what to create it with when it does not exist.
     *
     * @param driver "" for the default (local)
     */
    public record Request(MountPoint mount, String driver, Map<String, String> labels, Map<String, String> driverOpts) {
    }

    private MountSpecs() {
    }

    /** One HostConfig.Binds entry, as ParseMountRaw: an absolute source is a bind, anything else a volume name. */
    public static Request parseBind(String raw, String volumeDriver) {
        String[] arr = raw.split(":", 4);
        if (arr[0].isEmpty()) {
            throw invalidSpec(raw);
        }
        String source = "";
        String target;
        String mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) {
                    throw invalidSpec(raw); // "/foo:rw": a destination with a mode but no source
                }
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(raw);
        }
        if (!validMode(mode)) {
            throw new InvalidArgumentException("invalid mode: " + mode);
        }
        List<String> words = mode.isEmpty() ? List.of() : List.of(mode.split(","));
        boolean rw = !words.contains("ro");
        String propagation = words.stream().filter(PROPAGATION::contains).findFirst().orElse("");
        boolean bind = source.startsWith("/");
        String prefix = "invalid volume specification: '" + raw + "': invalid mount config for type \""
                + (bind ? "bind" : "volume") + "\": ";
        checkTarget(target, prefix);
        if (bind && words.contains("nocopy")) {
            // copying the image's files in is a volume's option: dockerd refuses it on a bind (it was ignored)
            throw new InvalidArgumentException(prefix + "field VolumeOptions must not be specified");
        }
        if (bind) {
            // propagation "" when not given: the resolver chooses (rprivate, or rslave over the daemon's root)
            return new Request(MountPoint.bind(Path.of(source).normalize().toString(), clean(target), mode, rw,
                    propagation, true, ""), "", null, null);
        }
        if (!propagation.isEmpty()) {
            throw new InvalidArgumentException(prefix + "field BindOptions must not be specified");
        }
        if (source.isEmpty() && !rw) {
            throw new InvalidArgumentException(prefix + "must not set ReadOnly mode when using anonymous volumes");
        }
        MountPoint mp = MountPoint.volume(source, clean(target), volumeDriver == null ? "" : volumeDriver, mode, rw,
                !words.contains("nocopy"), "");
        return new Request(mp, volumeDriver == null ? "" : volumeDriver, null, null);
    }

    /** One HostConfig.Mounts entry (--mount), as ParseMountSpec with the bind source required to exist. */
    public static Request parseMount(JsonNode m) {
        String type = m.path("Type").asText("");
        String prefix = "invalid mount config for type \"" + type + "\": ";
        String target = m.path("Target").asText("");
        String source = m.path("Source").asText("");
        boolean readOnly = m.path("ReadOnly").asBoolean(false);
        if (target.isEmpty()) {
            throw new InvalidArgumentException(prefix + "field Target must not be empty");
        }
        checkTarget(target, prefix);
        JsonNode bindOpts = m.get("BindOptions");
        JsonNode volOpts = m.get("VolumeOptions");
        boolean hasBindOpts = bindOpts != null && !bindOpts.isNull();
        boolean hasVolOpts = volOpts != null && !volOpts.isNull();
        switch (type) {
            case "bind" -> {
                if (source.isEmpty()) {
                    throw new InvalidArgumentException(prefix + "field Source must not be empty");
                }
                String propagation = hasBindOpts ? bindOpts.path("Propagation").asText("") : "";
                if (!propagation.isEmpty() && !PROPAGATION.contains(propagation)) {
                    throw new InvalidArgumentException(prefix + "invalid propagation mode: " + propagation);
                }
                if (hasVolOpts) {
                    throw new InvalidArgumentException(prefix + "field VolumeOptions must not be specified");
                }
                if (!source.startsWith("/")) {
                    throw new InvalidArgumentException(prefix + "invalid mount path: '" + source + "' mount path must be absolute");
                }
                boolean create = hasBindOpts && bindOpts.path("CreateMountpoint").asBoolean(false);
                if (!create && !Files.exists(Path.of(source))) {
                    throw new InvalidArgumentException(prefix + "bind source path does not exist: " + source);
                }
                String recursive = recursive(hasBindOpts ? bindOpts : null, readOnly, prefix);
                return new Request(MountPoint.bind(Path.of(source).normalize().toString(), clean(target), "", !readOnly,
                        propagation, create, recursive), "", null, null);
            }
            case "volume" -> {
                if (hasBindOpts) {
                    throw new InvalidArgumentException(prefix + "field BindOptions must not be specified");
                }
                String subpath = hasVolOpts ? volOpts.path("Subpath").asText("") : "";
                if (!subpath.isEmpty()) {
                    if (source.isEmpty()) {
                        throw new InvalidArgumentException(prefix + "must not set Subpath when using anonymous volumes");
                    }
                    Path p = Path.of(subpath).normalize();
                    if (p.isAbsolute() || p.startsWith("..") || subpath.isBlank()) {
                        throw new InvalidArgumentException(prefix + "subpath must be a relative path within the volume");
                    }
                }
                if (readOnly && source.isEmpty()) {
                    throw new InvalidArgumentException(prefix + "must not set ReadOnly mode when using anonymous volumes");
                }
                String driver = hasVolOpts ? volOpts.path("DriverConfig").path("Name").asText("") : "";
                boolean noCopy = hasVolOpts && volOpts.path("NoCopy").asBoolean(false);
                MountPoint mp = MountPoint.volume(source, clean(target), driver, "", !readOnly, !noCopy,
                        subpath.isEmpty() ? "" : Path.of(subpath).normalize().toString());
                return new Request(mp, driver, hasVolOpts ? strings(volOpts.get("Labels")) : null,
                        hasVolOpts ? strings(volOpts.path("DriverConfig").get("Options")) : null);
            }
            case "tmpfs" -> {
                if (hasBindOpts) {
                    throw new InvalidArgumentException(prefix + "field BindOptions must not be specified");
                }
                if (!source.isEmpty()) {
                    throw new InvalidArgumentException(prefix + "field Source must not be specified");
                }
                return new Request(MountPoint.tmpfs(clean(target), !readOnly, tmpfsData(m.path("TmpfsOptions"), readOnly, prefix)),
                        "", null, null);
            }
            default -> throw new InvalidArgumentException(prefix + "mount type unknown");
        }
    }

    /** "container[:ro|rw]" of --volumes-from: {container, mode}. */
    public static String[] parseVolumesFrom(String spec) {
        String[] parts = spec.split(":", 2);
        String mode = parts.length > 1 ? parts[1] : "rw";
        if (parts[0].isEmpty() || !validMode(mode)) {
            throw new InvalidArgumentException("invalid mode: " + mode);
        }
        return new String[] {parts[0], mode};
    }

    /** ConvertTmpfsOptions: ro, mode in octal, size with the largest unit that divides it, then the raw options. */
    static String tmpfsData(JsonNode opts, boolean readOnly, String prefix) {
        StringBuilder b = new StringBuilder(readOnly ? "ro" : "");
        int mode = opts.path("Mode").asInt(0);
        if (mode != 0) {
            b.append(b.isEmpty() ? "" : ",").append("mode=").append(Integer.toOctalString(mode));
        }
        long size = opts.path("SizeBytes").asLong(0);
        if (size < 0) {
            throw new InvalidArgumentException(prefix + "invalid tmpfs size: " + size);
        }
        if (size != 0) {
            String suffix = "";
            for (String[] unit : new String[][] {{"g", "1073741824"}, {"m", "1048576"}, {"k", "1024"}}) {
                long u = Long.parseLong(unit[1]);
                if (size % u == 0) {
                    size /= u;
                    suffix = unit[0];
                    break;
                }
            }
            b.append(b.isEmpty() ? "" : ",").append("size=").append(size).append(suffix);
        }
        for (JsonNode o : opts.path("Options")) {
            String word = o.size() > 1 ? o.get(0).asText() + "=" + o.get(1).asText() : o.path(0).asText(o.asText());
            b.append(b.isEmpty() ? "" : ",").append(word);
        }
        return b.toString();
    }

    private static String recursive(JsonNode bindOpts, boolean readOnly, String prefix) {
        if (bindOpts == null) {
            return "";
        }
        if (bindOpts.path("NonRecursive").asBoolean(false)) {
            return "disabled";
        }
        if (bindOpts.path("ReadOnlyNonRecursive").asBoolean(false)) {
            if (!readOnly) {
                throw new InvalidArgumentException(prefix + "option ReadOnlyNonRecursive requires ReadOnly");
            }
            return "writable";
        }
        if (bindOpts.path("ReadOnlyForceRecursive").asBoolean(false)) {
            if (!readOnly) {
                throw new InvalidArgumentException(prefix + "option ReadOnlyForceRecursive requires ReadOnly");
            }
            return "readonly";
        }
        return "";
    }

    static boolean validRecursive(String value) {
        return RECURSIVE.contains(value);
    }

    /** linuxValidMountMode: comma-separated words, at most one of each kind. */
    static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int rw = 0, label = 0, propagation = 0, copy = 0, consistency = 0;
        for (String o : mode.split(",", -1)) {
            if (RW.contains(o)) {
                rw++;
            } else if (LABEL.contains(o)) {
                label++;
            } else if (PROPAGATION.contains(o)) {
                propagation++;
            } else if (o.equals("nocopy")) {
                copy++;
            } else if (CONSISTENCY.contains(o)) {
                consistency++;
            } else {
                return false;
            }
        }
        return rw <= 1 && label <= 1 && propagation <= 1 && copy <= 1 && consistency <= 1;
    }

    private static void checkTarget(String target, String prefix) {
        if (target.equals("/")) {
            throw new InvalidArgumentException(prefix + "invalid specification: destination can't be '/'");
        }
        if (!target.startsWith("/")) {
            throw new InvalidArgumentException(prefix + "invalid mount path: '" + target + "' mount path must be absolute");
        }
    }

    private static String clean(String target) {
        return Path.of(target).normalize().toString();
    }

    private static InvalidArgumentException invalidSpec(String raw) {
        return new InvalidArgumentException("invalid volume specification: '" + raw + "'");
    }

    private static Map<String, String> strings(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Reading and writing image config JSON, and the facts about this host a new config records. */
final class ImageConfigs {
    private ImageConfigs() {
    }

    static ImageConfig parse(byte[] json) {
        try {
            return Json.MAPPER.readValue(json, ImageConfig.class);
        } catch (IOException e) {
            throw new InvalidArgumentException("image config is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The same config with every list and map unmodifiable, nested values too (nulls kept, as parsed): a config
     * shared between requests (the parsed-config cache) can then never be changed by one of them.
     */
    static ImageConfig freeze(ImageConfig c) {
        ImageConfig.Config k = c.config();
        ImageConfig.Config frozen = k == null ? null : new ImageConfig.Config(k.user(), frozenMap(k.exposedPorts()),
                frozenList(k.env()), frozenList(k.entrypoint()), frozenList(k.cmd()), frozenMap(k.volumes()),
                k.workingDir(), frozenMap(k.labels()), k.stopSignal(), k.argsEscaped(), frozenMap(k.healthcheck()),
                frozenList(k.onBuild()), frozenList(k.shell()));
        ImageConfig.RootFs r = c.rootfs();
        return new ImageConfig(c.architecture(), c.os(), c.variant(), c.created(), c.author(), c.comment(),
                c.dockerVersion(), frozen, r == null ? null : new ImageConfig.RootFs(r.type(), frozenList(r.diffIds())),
                frozenList(c.history()));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> frozenList(List<T> list) {
        if (list == null) {
            return null;
        }
        List<Object> copy = new ArrayList<>(list.size());
        list.forEach(v -> copy.add(frozenValue(v)));
        return (List<T>) java.util.Collections.unmodifiableList(copy);
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> frozenMap(Map<String, V> map) {
        if (map == null) {
            return null;
        }
        Map<String, Object> copy = new java.util.LinkedHashMap<>(map.size() * 2);
        map.forEach((key, v) -> copy.put(key, frozenValue(v)));
        return (Map<String, V>) java.util.Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object frozenValue(Object v) {
        if (v instanceof List<?> l) {
            return frozenList(l);
        }
        if (v instanceof Map<?, ?> m) {
            return frozenMap((Map<String, Object>) m);
        }
        return v;
    }

    static byte[] bytes(ImageConfig config) {
        try {
            return Json.COMPACT.writeValueAsBytes(config);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write image config", e);
        }
    }

    static List<Digest> diffIds(ImageConfig config) {
        List<Digest> ids = new ArrayList<>();
        if (config.rootfs() != null && config.rootfs().diffIds() != null) {
            for (String id : config.rootfs().diffIds()) {
                ids.add(Digest.parse(id));
            }
        }
        return ids;
    }

    static List<Digest> chainIds(ImageConfig config) {
        return LayerStore.chainIds(diffIds(config));
    }

    /** RFC 3339 with nanoseconds, as Go writes times. */
    static String format(Instant t) {
        return dev.skiff.sys.GoTimestamp.format(t);
    }

    static Instant created(ImageConfig config, Instant fallback) {
        if (config.created() == null) {
            return fallback;
        }
        try {
            return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(config.created(), Instant::from);
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }

    /** The host's platform in OCI terms: {"linux", "amd64"}, {"linux", "arm64"}. */
    static String[] hostPlatform() {
        String arch = switch (System.getProperty("os.arch").toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            case "ppc64le" -> "ppc64le";
            case "s390x" -> "s390x";
            case "riscv64" -> "riscv64";
            default -> System.getProperty("os.arch");
        };
        return new String[] {"linux", arch};
    }
}

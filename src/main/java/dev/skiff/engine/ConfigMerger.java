package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.ImageConfig;
import dev.skiff.sys.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's create-time rules: the image's config fills what the user left unset (daemon.merge), then the
 * result and the HostConfig are validated and given Docker's defaults.
 */
public final class ConfigMerger {
    /** Docker refuses smaller memory limits: the kernel and runc need some headroom. */
    public static final long MIN_MEMORY = 6L * 1024 * 1024;

    /** The Config fields Docker's inspect shows, in Docker's order. */
    private static final List<String> CONFIG_FIELDS = List.of("Hostname", "Domainname", "User", "AttachStdin",
            "AttachStdout", "AttachStderr", "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd",
            "Healthcheck", "ArgsEscaped", "Image", "Volumes", "WorkingDir", "Entrypoint", "NetworkDisabled",
            "MacAddress", "OnBuild", "Labels", "StopSignal", "StopTimeout", "Shell");

    private ConfigMerger() {
    }

    /** Fills the user's Config from the image's, as Docker's daemon.merge does. Returns a new node. */
    public static ObjectNode merge(ObjectNode user, ImageConfig.Config image, String hostnameDefault) {
        ObjectNode c = user.deepCopy();
        ImageConfig.Config img = image != null ? image
                : new ImageConfig.Config(null, null, null, null, null, null, null, null, null, null, null, null, null);
        if (text(c, "User").isEmpty() && img.user() != null) {
            c.put("User", img.user());
        }
        c.set("Env", mergeEnv(img.env(), strings(c.get("Env"))));
        // A user entrypoint replaces the image's and with it the image's Cmd (daemon.merge)
        if (strings(c.get("Entrypoint")).isEmpty()) {
            if (strings(c.get("Cmd")).isEmpty()) {
                c.set("Cmd", img.cmd() == null ? null : Json.MAPPER.valueToTree(img.cmd()));
                if (img.argsEscaped() != null) {
                    c.put("ArgsEscaped", img.argsEscaped());
                }
            }
            if (c.get("Entrypoint") == null || c.get("Entrypoint").isNull()) {
                c.set("Entrypoint", img.entrypoint() == null ? null : Json.MAPPER.valueToTree(img.entrypoint()));
            }
        }
        if (text(c, "WorkingDir").isEmpty() && img.workingDir() != null) {
            c.put("WorkingDir", img.workingDir());
        }
        if (text(c, "StopSignal").isEmpty() && img.stopSignal() != null) {
            c.put("StopSignal", img.stopSignal());
        }
        mergeMap(c, "Labels", img.labels());
        mergeMap(c, "ExposedPorts", img.exposedPorts());
        mergeMap(c, "Volumes", img.volumes());
        mergeHealthcheck(c, img.healthcheck());
        if (isUnset(c.get("OnBuild")) && img.onBuild() != null) {
            c.set("OnBuild", Json.MAPPER.valueToTree(img.onBuild()));
        }
        if (isUnset(c.get("Shell")) && img.shell() != null) {
            c.set("Shell", Json.MAPPER.valueToTree(img.shell()));
        }
        if (text(c, "Hostname").isEmpty()) {
            c.put("Hostname", hostnameDefault);
        }
        return ordered(c);
    }

    /**
     * The image's health check under the user's, field by field, as dockerd's daemon.merge: a `docker run
     * --health-timeout=2s` keeps the image's test, interval and retries and changes only the timeout. (No test and
     * an image without one: nothing to run, as in Docker, and the flags alone are kept.)
     */
    private static void mergeHealthcheck(ObjectNode c, Map<String, Object> image) {
        if (image == null) {
            return;
        }
        if (isUnset(c.get("Healthcheck"))) {
            c.set("Healthcheck", Json.MAPPER.valueToTree(image));
            return;
        }
        if (!(c.get("Healthcheck") instanceof ObjectNode user)) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> mine = Json.MAPPER.convertValue(user, java.util.LinkedHashMap.class);
        c.set("Healthcheck", Json.MAPPER.valueToTree(ImageConfig.healthcheckOver(mine, image)));
    }

    /** The process to run: entrypoint then cmd; an entrypoint of [""] means "none" (docker run --entrypoint ""). */
    public static List<String> commandLine(ObjectNode config) {
        List<String> entrypoint = strings(config.get("Entrypoint"));
        if (entrypoint.size() == 1 && entrypoint.get(0).isEmpty()) {
            entrypoint = List.of();
        }
        List<String> all = new ArrayList<>(entrypoint);
        all.addAll(strings(config.get("Cmd")));
        if (all.isEmpty()) {
            throw new InvalidArgumentException("No command specified (give one after the image name, or use an image with CMD or ENTRYPOINT)");
        }
        return all;
    }

    /**
     * Validates a HostConfig and fills Docker's defaults (RestartPolicy, LogConfig, NetworkMode "bridge").
     *
     * @throws InvalidArgumentException on an unknown restart policy, too little memory, or --rm with --restart
     */
    /** A memory limit (and swap) as dockerd checks a container's: at least 6MB, swap not below it. */
    static void checkMemory(long memory, long swap) {
        if (memory != 0 && memory < MIN_MEMORY) {
            throw new InvalidArgumentException("Minimum memory limit allowed is 6MB");
        }
        if (swap > 0 && memory > 0 && swap < memory) {
            throw new InvalidArgumentException("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
    }

    public static ObjectNode normalizeHostConfig(JsonNode given) {
        ObjectNode h = given != null && given.isObject() ? ((ObjectNode) given).deepCopy() : JsonNodeFactory.instance.objectNode();
        JsonNode rp = h.path("RestartPolicy");
        RestartPolicy policy = RestartPolicy.of(rp.path("Name").asText(""), rp.path("MaximumRetryCount").asInt(0));
        ObjectNode rpNode = h.putObject("RestartPolicy");
        rpNode.put("Name", policy.name());
        rpNode.put("MaximumRetryCount", policy.maximumRetryCount());
        if (h.path("AutoRemove").asBoolean(false) && !policy.isNone()) {
            throw new InvalidArgumentException("can't create 'AutoRemove' container with restart policy");
        }
        checkMemory(h.path("Memory").asLong(0), h.path("MemorySwap").asLong(0));
        String net = text(h, "NetworkMode");
        if (net.isEmpty() || net.equals("default")) {
            h.put("NetworkMode", "bridge");
        }
        JsonNode log = h.path("LogConfig");
        if (text(log, "Type").isEmpty()) {
            ObjectNode lc = h.putObject("LogConfig");
            lc.put("Type", "json-file");
            lc.set("Config", log.path("Config").isObject() ? log.get("Config") : JsonNodeFactory.instance.objectNode());
        }
        return h;
    }

    static ArrayNode mergeEnv(List<String> image, List<String> user) {
        Map<String, String> byKey = new LinkedHashMap<>();
        for (List<String> list : List.of(image == null ? List.<String>of() : image, user)) {
            for (String kv : list) {
                int eq = kv.indexOf('=');
                byKey.put(eq < 0 ? kv : kv.substring(0, eq), kv);
            }
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        byKey.values().forEach(out::add);
        return out;
    }

    private static void mergeMap(ObjectNode c, String field, Map<String, ?> image) {
        if (image == null || image.isEmpty()) {
            return;
        }
        ObjectNode merged = Json.MAPPER.valueToTree(image);
        if (c.get(field) instanceof ObjectNode mine) {
            merged.setAll(mine);
        }
        c.set(field, merged);
    }

    private static ObjectNode ordered(ObjectNode c) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (String f : CONFIG_FIELDS) {
            JsonNode v = c.get(f);
            switch (f) {
                case "Hostname", "Domainname", "User", "WorkingDir" -> out.put(f, v == null || v.isNull() ? "" : v.asText());
                case "AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce" ->
                        out.put(f, v != null && v.asBoolean(false));
                case "Env", "Cmd", "Entrypoint", "OnBuild" -> out.set(f, v == null ? JsonNodeFactory.instance.nullNode() : v);
                case "Labels" -> out.set(f, v == null || v.isNull() ? JsonNodeFactory.instance.objectNode() : v);
                default -> {
                    if (v != null && !v.isNull()) {
                        out.set(f, v);
                    }
                }
            }
        }
        return out;
    }

    private static boolean isUnset(JsonNode n) {
        return n == null || n.isNull() || (n.isContainerNode() && n.isEmpty());
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? "" : v.asText();
    }

    /** A JSON string array as a list; a bare string (Docker accepts "Cmd": "ls") as one element. */
    public static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (n.isTextual()) {
            out.add(n.asText());
            return out;
        }
        n.forEach(e -> out.add(e.isNull() ? "" : e.asText())); // null is Go's zero value, "" (asText says "null")
        return out;
    }
}

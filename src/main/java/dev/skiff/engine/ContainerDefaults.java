package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the daemon's configuration gives every container that does not say otherwise (dockerd's --default-ulimit,
 * --default-shm-size, --init, --no-new-privileges, --default-ipc-mode, --default-cgroupns-mode, --log-driver and
 * --log-opt): filled into the HostConfig at create, where dockerd keeps its ulimits, shm size and log configuration
 * too, so inspect shows what the container runs with.
 *
 * @param ulimits         name, soft, hard each
 * @param shmSize         bytes, 0 for Docker's 64 MiB
 * @param init            run an init as PID 1 unless the container says --init=false
 * @param noNewPrivileges no-new-privileges unless the container's security options say it false
 * @param ipcMode         --default-ipc-mode (private or shareable), "" for dockerd's private
 * @param cgroupnsMode    --default-cgroupns-mode (private or host), "" for dockerd's choice by cgroup version
 * @param logDriver       the log driver of a container that names none (--log-driver, daemon.json "log-driver")
 * @param logOpts         the daemon's log options (--log-opt, "log-opts"), given to the containers of that driver
 */
public record ContainerDefaults(List<Ulimit> ulimits, long shmSize, boolean init, boolean noNewPrivileges,
                                String ipcMode, String cgroupnsMode, String logDriver, Map<String, String> logOpts) {
    public static final ContainerDefaults NONE = new ContainerDefaults(List.of(), 0, false, false, "", "");

    /** With json-file and no log options, dockerd's defaults. */
    public ContainerDefaults(List<Ulimit> ulimits, long shmSize, boolean init, boolean noNewPrivileges, String ipcMode,
                             String cgroupnsMode) {
        this(ulimits, shmSize, init, noNewPrivileges, ipcMode, cgroupnsMode, "json-file", Map.of());
    }

    public ContainerDefaults {
        if (!List.of("", "private", "shareable").contains(ipcMode)) {
            throw new dev.skiff.errors.InvalidArgumentException("invalid default-ipc-mode " + ipcMode
                    + ": use private or shareable");
        }
        if (!List.of("", "private", "host").contains(cgroupnsMode)) {
            throw new dev.skiff.errors.InvalidArgumentException("invalid default-cgroupns-mode " + cgroupnsMode
                    + ": use private or host");
        }
    }

    public record Ulimit(String name, long soft, long hard) {
    }

    /** The container's HostConfig as given at create (before it is normalized and checked), with the defaults in. */
    JsonNode applyTo(JsonNode given) {
        if (equals(NONE)) {
            return given;
        }
        ObjectNode h = given != null && given.isObject() ? ((ObjectNode) given).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        if (!ulimits.isEmpty()) {
            Set<String> own = new HashSet<>();
            h.path("Ulimits").forEach(u -> own.add(u.path("Name").asText("")));
            ArrayNode list = h.path("Ulimits").isArray() ? (ArrayNode) h.get("Ulimits") : h.putArray("Ulimits");
            for (Ulimit u : ulimits) {
                if (!own.contains(u.name())) {
                    list.addObject().put("Name", u.name()).put("Soft", u.soft()).put("Hard", u.hard());
                }
            }
        }
        if (shmSize > 0 && h.path("ShmSize").asLong(0) == 0) {
            h.put("ShmSize", shmSize);
        }
        if (!ipcMode.isEmpty() && ConfigMerger.text(h, "IpcMode").isEmpty()) {
            h.put("IpcMode", ipcMode);
        }
        if (!cgroupnsMode.isEmpty() && ConfigMerger.text(h, "CgroupnsMode").isEmpty()) {
            h.put("CgroupnsMode", cgroupnsMode);
        }
        if (init && (!h.has("Init") || h.get("Init").isNull())) {
            h.put("Init", true);
        }
        if (noNewPrivileges && ConfigMerger.strings(h.get("SecurityOpt")).stream()
                .noneMatch(o -> o.startsWith("no-new-privileges"))) {
            ArrayNode opts = h.path("SecurityOpt").isArray() ? (ArrayNode) h.get("SecurityOpt") : h.putArray("SecurityOpt");
            opts.add("no-new-privileges");
        }
        withLogConfig(h);
        return h;
    }

    /**
     * The daemon's log driver for a container that names none, and the daemon's log options for a container of that
     * driver, under its own (dockerd's getLogConfig).
     */
    private void withLogConfig(ObjectNode h) {
        ObjectNode lc = h.path("LogConfig").isObject() ? (ObjectNode) h.get("LogConfig") : h.putObject("LogConfig");
        if (ConfigMerger.text(lc, "Type").isEmpty()) {
            lc.put("Type", logDriver);
        }
        if (!ConfigMerger.text(lc, "Type").equals(logDriver)) {
            return;
        }
        ObjectNode cfg = lc.path("Config").isObject() ? (ObjectNode) lc.get("Config") : lc.putObject("Config");
        logOpts.forEach((k, v) -> {
            if (!cfg.has(k)) {
                cfg.put(k, v);
            }
        });
    }
}

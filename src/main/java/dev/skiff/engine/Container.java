package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One container as the daemon records it (a row of {@code container_containers}). Immutable: every change
 * makes a new value that goes through {@link ContainerStore#put} before the API answers.
 *
 * @param name            with the leading "/" as Docker stores it
 * @param config          Docker's container Config JSON after merging the image defaults
 * @param hostConfig      Docker's HostConfig JSON as received, with Docker's defaults filled in
 * @param imageId         "sha256:..." of the image
 * @param imageName       what the user asked for ("busybox"), shown by docker ps
 * @param manuallyStopped set by stop/kill from the API, cleared by start: restart policies honour it
 */
public record Container(
        String id,
        String name,
        String created,
        String path,
        List<String> args,
        ObjectNode config,
        ObjectNode hostConfig,
        String imageId,
        String imageName,
        ContainerState state,
        int restartCount,
        String logPath,
        int monitorPid,
        boolean manuallyStopped) {

    public Container withState(ContainerState newState) {
        return new Container(id, name, created, path, args, config, hostConfig, imageId, imageName, newState,
                restartCount, logPath, monitorPid, manuallyStopped);
    }

    public Container withName(String newName) {
        return new Container(id, newName, created, path, args, config, hostConfig, imageId, imageName, state,
                restartCount, logPath, monitorPid, manuallyStopped);
    }

    public Container withRestartCount(int count) {
        return new Container(id, name, created, path, args, config, hostConfig, imageId, imageName, state,
                count, logPath, monitorPid, manuallyStopped);
    }

    public Container withMonitorPid(int pid) {
        return new Container(id, name, created, path, args, config, hostConfig, imageId, imageName, state,
                restartCount, logPath, pid, manuallyStopped);
    }

    public Container withManuallyStopped(boolean stopped) {
        return new Container(id, name, created, path, args, config, hostConfig, imageId, imageName, state,
                restartCount, logPath, monitorPid, stopped);
    }

    public Container withConfig(ObjectNode newConfig) {
        return new Container(id, name, created, path, args, newConfig, hostConfig, imageId, imageName, state,
                restartCount, logPath, monitorPid, manuallyStopped);
    }

    public Container withHostConfig(ObjectNode newHostConfig) {
        return new Container(id, name, created, path, args, config, newHostConfig, imageId, imageName, state,
                restartCount, logPath, monitorPid, manuallyStopped);
    }

    /** The name without the leading slash, as events and messages show it. */
    public String shortName() {
        return name.startsWith("/") ? name.substring(1) : name;
    }

    public boolean tty() {
        return config.path("Tty").asBoolean(false);
    }

    public boolean autoRemove() {
        return hostConfig.path("AutoRemove").asBoolean(false);
    }

    public RestartPolicy restartPolicy() {
        JsonNode p = hostConfig.path("RestartPolicy");
        return RestartPolicy.of(p.path("Name").asText(""), p.path("MaximumRetryCount").asInt(0));
    }

    /** Config.Labels as a sorted map (empty when none). */
    public Map<String, String> labels() {
        Map<String, String> out = new TreeMap<>();
        config.path("Labels").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }
}

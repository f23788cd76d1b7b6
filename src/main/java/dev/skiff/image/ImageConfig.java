package dev.skiff.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The image configuration JSON (OCI image spec config.md, Docker's image JSON): its digest is the image ID,
 * so it is stored as the exact bytes received and parsed into this record for reading.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ImageConfig(
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("variant") String variant,
        @JsonProperty("created") String created,
        @JsonProperty("author") String author,
        @JsonProperty("comment") String comment,
        @JsonProperty("docker_version") String dockerVersion,
        @JsonProperty("config") Config config,
        @JsonProperty("rootfs") RootFs rootfs,
        @JsonProperty("history") List<History> history) {

    /** A Healthcheck's fields in Docker's order (container.HealthConfig). */
    public static final List<String> HEALTHCHECK_FIELDS = List.of("Test", "Interval", "Timeout", "StartPeriod",
            "StartInterval", "Retries");

    /** The runtime defaults a container inherits (Docker's names, PascalCase on the wire). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Config(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("ArgsEscaped") Boolean argsEscaped,
            @JsonProperty("Healthcheck") Map<String, Object> healthcheck,
            @JsonProperty("OnBuild") List<String> onBuild,
            @JsonProperty("Shell") List<String> shell) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RootFs(@JsonProperty("type") String type, @JsonProperty("diff_ids") List<String> diffIds) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record History(
            @JsonProperty("created") String created,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("author") String author,
            @JsonProperty("comment") String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {
    }
}

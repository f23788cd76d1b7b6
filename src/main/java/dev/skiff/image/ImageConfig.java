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

    /**
     * {@code mine} over {@code base}, field by field, as dockerd's daemon.merge puts a container's health check over
     * its image's: each field {@code mine} leaves zero (absent, null, 0, an empty test) is the base's; the rest, and
     * fields of {@code mine} past Docker's, are kept; in Docker's order. Used by `docker run --health-*` and by a
     * build's HEALTHCHECK over its base image's.
     */
    public static Map<String, Object> healthcheckOver(Map<String, Object> mine, Map<String, Object> base) {
        Map<String, Object> merged = new java.util.LinkedHashMap<>();
        for (String field : HEALTHCHECK_FIELDS) {
            Object own = mine.get(field);
            boolean zero = own == null || (own instanceof Number n && n.longValue() == 0)
                    || (own instanceof List<?> l && l.isEmpty());
            if (zero && base.get(field) != null) {
                merged.put(field, base.get(field));
            } else if (mine.containsKey(field)) {
                merged.put(field, own);
            }
        }
        mine.forEach(merged::putIfAbsent);
        return merged;
    }

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

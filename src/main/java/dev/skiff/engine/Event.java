package dev.skiff.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One event in Docker's JSON shape. status/id/from are the legacy fields Docker still sends for container
 * and image events (older clients read them).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Event(
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("from") String from,
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano) {

    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
    }
}

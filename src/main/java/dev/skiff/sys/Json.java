package dev.skiff.sys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson configuration every layer starts from: lenient on unknown fields, strict on syntax. */
public final class Json {
    /** Shared, thread-safe mapper. Null fields are written (Docker's JSON carries explicit nulls). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** Like {@link #MAPPER} but leaves out null fields (OCI config files and manifests). */
    public static final ObjectMapper COMPACT = MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {
    }
}

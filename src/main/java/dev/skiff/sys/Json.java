package dev.skiff.sys;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration every layer starts from: lenient on unknown fields, strict on syntax, and bounded in
 * what one document may hold, since most of what it reads comes from outside (API bodies, archives' manifests and
 * configs, registries' answers).
 */
public final class Json {
    /**
     * Tokens one document may have. Callers bound the bytes they read; this bounds the tree: a few MiB of
     * {@code [1,1,1,...]} is millions of nodes, enough to fill the daemon's heap. Real documents are far below it (an
     * image config with a thousand layers' history is ~20,000 tokens).
     */
    public static final long MAX_TOKENS = 1_000_000;

    /** Shared, thread-safe mapper. Null fields are written (Docker's JSON carries explicit nulls). */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxTokenCount(MAX_TOKENS).build()).build())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .build();

    /** Like {@link #MAPPER} but leaves out null fields (OCI config files and manifests). */
    public static final ObjectMapper COMPACT = MAPPER.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {
    }

    /**
     * A writer as Go's json.MarshalIndent(v, "", indent) writes: "key": value, each level one more {@code indent},
     * empty objects and arrays as {} and [] (the docker CLI's inspect output, its config.json).
     */
    public static ObjectWriter goIndented(String indent) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(
                Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(new DefaultIndenter(indent, "\n"))
                .withArrayIndenter(new DefaultIndenter(indent, "\n"));
        return MAPPER.writer(printer);
    }
}

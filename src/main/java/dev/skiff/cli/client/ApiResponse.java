package dev.skiff.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** A response with a 2xx/3xx status; its body is de-chunked and streamed. */
public interface ApiResponse extends Closeable {
    int status();

    Optional<String> header(String name);

    InputStream body();

    /** Reads the whole body as JSON. */
    JsonNode json() throws IOException;

    <T> T json(Class<T> type) throws IOException;
}

package dev.skiff.cli;

import dev.skiff.cli.client.ApiClient;
import java.io.IOException;

/** Opens the API client for the daemon the user chose (-H, else SKIFF_HOST/DOCKER_HOST, else the default socket). */
@FunctionalInterface
public interface ClientFactory {
    /** @param host the -H value, or null when not given (the factory then reads the environment) */
    ApiClient open(String host) throws IOException;
}

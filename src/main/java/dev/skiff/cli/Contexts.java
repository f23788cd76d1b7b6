package dev.skiff.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.cli.commands.CliFailure;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * docker contexts as the docker CLI stores them (DOCKER_CONFIG/contexts/meta/SHA256(name)/meta.json, its
 * Endpoints.docker.Host): -c/--context NAME, else (when no -H, DOCKER_HOST or SKIFF_HOST is given) DOCKER_CONTEXT,
 * else config.json's currentContext, picks the daemon; the "default" context is the usual -H, SKIFF_HOST,
 * DOCKER_HOST, default socket order.
 */
final class Contexts {
    private Contexts() {
    }

    /** The -H value to connect with: the flag's, a context's host, or null for the environment's. */
    static String host(String hostFlag, String contextFlag, Map<String, String> env) throws IOException {
        if (hostFlag != null && contextFlag != null) {
            throw CliFailure.of("conflicting options: cannot specify both --host and --context", 1);
        }
        String config = env.get("DOCKER_CONFIG");
        Path dir = !blank(config) ? Path.of(config) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".docker");
        String name = contextFlag;
        if (name == null && hostFlag == null && blank(env.get("DOCKER_HOST")) && blank(env.get("SKIFF_HOST"))) {
            name = blank(env.get("DOCKER_CONTEXT")) ? currentContext(dir) : env.get("DOCKER_CONTEXT");
        }
        if (blank(name) || name.equals("default")) {
            return hostFlag;
        }
        Path meta = dir.resolve("contexts").resolve("meta").resolve(sha256(name)).resolve("meta.json");
        JsonNode m;
        try {
            m = Json.MAPPER.readTree(Files.readString(meta));
        } catch (NoSuchFileException e) {
            throw CliFailure.of("Failed to initialize: unable to resolve docker endpoint: context \"" + name
                    + "\": context not found: open " + meta + ": no such file or directory", 1);
        }
        String host = m.path("Endpoints").path("docker").path("Host").asText("");
        if (host.isEmpty()) {
            throw CliFailure.of("Failed to initialize: unable to resolve docker endpoint: context \"" + name
                    + "\" has no docker endpoint (" + meta + ")", 1);
        }
        return host;
    }

    /** config.json's currentContext (`docker context use`), or null; a config that cannot be read names none. */
    private static String currentContext(Path dir) {
        try {
            return Json.MAPPER.readTree(Files.readString(dir.resolve("config.json"))).path("currentContext").asText(null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String sha256(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}

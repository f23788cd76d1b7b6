package dev.skiff.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.build.ImagePuller;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.Progress;
import dev.skiff.image.Reference;
import dev.skiff.registry.client.Credentials;
import dev.skiff.registry.client.RegistryClient;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * The builder's pulls go through the daemon's registry client, with the credentials the client sent in
 * X-Registry-Config (base64url JSON: registry address to AuthConfig, as `docker build` sends every stored login).
 */
final class BuildPulls implements ImagePuller {
    /** X-Registry-Config carries every login the client has; far below this in practice. */
    private static final int MAX_HEADER = 256 * 1024;

    private final RegistryClient registry;

    BuildPulls(RegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public String pull(String ref, String platform, String registryConfig, Progress progress) {
        Reference parsed = Reference.parseWithDefaultTag(ref);
        Credentials creds = credentialsFor(parsed.domain(), registryConfig);
        return registry.pull(parsed.toString(), platform.isEmpty() ? null : platform, creds, progress).imageId();
    }

    /** The entry of X-Registry-Config for {@code domain}, or anonymous (the daemon's own logins apply then). */
    static Credentials credentialsFor(String domain, String registryConfig) {
        if (registryConfig == null || registryConfig.isBlank()) {
            return Credentials.ANONYMOUS;
        }
        if (registryConfig.length() > MAX_HEADER) {
            throw new InvalidArgumentException("X-Registry-Config is larger than " + MAX_HEADER + " bytes");
        }
        JsonNode configs;
        try {
            String b64 = registryConfig.strip().replace('+', '-').replace('/', '_').replace("=", "");
            configs = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(b64));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidArgumentException("X-Registry-Config is not base64url-encoded JSON: " + e.getMessage());
        }
        String want = RegistryClient.registryHost(domain);
        for (Iterator<Map.Entry<String, JsonNode>> it = configs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (RegistryClient.registryHost(e.getKey()).equals(want) && e.getValue().isObject()) {
                return Credentials.fromJson(e.getValue().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return Credentials.ANONYMOUS;
    }
}

package dev.skiff.cli.commands.registry;

import dev.skiff.cli.CliContext;
import dev.skiff.cli.commands.image.References;
import dev.skiff.sys.Json;
import dev.skiff.sys.auth.AuthEntry;
import dev.skiff.sys.auth.DockerConfigFile;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The X-Registry-Auth header the docker CLI sends: base64url JSON of the stored credentials for a registry. */
final class RegistryAuth {
    private RegistryAuth() {
    }

    /** The registry of a reference: "busybox" is docker.io, "localhost:5000/x" is localhost:5000. */
    static String registryOf(String reference) {
        String name = References.normalizedName(References.split(reference).repository());
        return name.substring(0, name.indexOf('/'));
    }

    static DockerConfigFile config(CliContext ctx) {
        return DockerConfigFile.fromEnv(ctx.env());
    }

    /** The header for {@code registry}, or empty when no credentials are stored for it. */
    static Optional<String> header(CliContext ctx, String registry) {
        Optional<AuthEntry> entry = config(ctx).get(registry);
        return entry.map(e -> encode(e, DockerConfigFile.serverKey(registry)));
    }

    static String encode(AuthEntry e, String serverAddress) {
        Map<String, String> m = new LinkedHashMap<>();
        if (e.isIdentityToken()) {
            m.put("identitytoken", e.secret());
        } else {
            m.put("username", e.username());
            m.put("password", e.secret());
        }
        m.put("serveraddress", serverAddress);
        try {
            return Base64.getUrlEncoder().encodeToString(Json.COMPACT.writeValueAsString(m).getBytes(StandardCharsets.UTF_8));
        } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
            throw new IllegalStateException(ex);
        }
    }
}

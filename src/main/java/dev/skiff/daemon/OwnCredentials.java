package dev.skiff.daemon;

import dev.skiff.errors.SkiffException;
import dev.skiff.registry.client.Credentials;
import dev.skiff.sys.auth.AuthEntry;
import dev.skiff.sys.auth.DockerConfigFile;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's own registry credentials, for requests that bring none: the docker config of the user the daemon
 * runs as ($DOCKER_CONFIG or ~/.docker/config.json, credential helpers included). A broken file means anonymous.
 */
final class OwnCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(OwnCredentials.class);

    private OwnCredentials() {
    }

    static Credentials lookup(String registryDomain) {
        try {
            Optional<AuthEntry> e = DockerConfigFile.forUser().get(registryDomain);
            if (e.isEmpty()) {
                return Credentials.ANONYMOUS;
            }
            return e.get().isIdentityToken() ? new Credentials("", "", e.get().secret(), "")
                    : Credentials.basic(e.get().username(), e.get().secret());
        } catch (SkiffException ex) {
            LOG.warn("ignoring the daemon's docker config for {}: {}", registryDomain, ex.getMessage());
            return Credentials.ANONYMOUS;
        }
    }
}

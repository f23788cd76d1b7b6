package dev.skiff.registry.client;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which repository of a registry is known to hold a blob (from pulls and pushes of this daemon), so a push to
 * another repository of the same registry mounts it instead of uploading it again.
 */
final class MountSources {
    private static final int MAX_ENTRIES = 100_000;

    private final Map<String, String> repoByRegistryAndBlob = new ConcurrentHashMap<>();

    void remember(String hostPort, String digest, String repo) {
        if (repoByRegistryAndBlob.size() >= MAX_ENTRIES) {
            repoByRegistryAndBlob.clear();
        }
        repoByRegistryAndBlob.put(hostPort + " " + digest, repo);
    }

    /** A repository other than {@code repo} on the registry that holds the blob. */
    Optional<String> sourceFor(String hostPort, String digest, String repo) {
        return Optional.ofNullable(repoByRegistryAndBlob.get(hostPort + " " + digest)).filter(r -> !r.equals(repo));
    }
}

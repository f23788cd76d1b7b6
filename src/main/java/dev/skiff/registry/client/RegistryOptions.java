package dev.skiff.registry.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the daemon reaches registries, from its flags and daemon.json (dockerd's names).
 *
 * @param insecureRegistries "host:port" or "host" that may be reached over plain HTTP ("insecure-registries")
 * @param mirrors            registries tried before Docker Hub for docker.io images ("registry-mirrors")
 * @param certsRoot          per-registry TLS files: ROOT/HOST:PORT/ca.crt (any *.crt), client.cert + client.key
 * @param connectTimeout     how long to wait for a TCP connection: small, so an offline registry fails fast
 * @param maxDownloads       layers fetched at once per pull ("max-concurrent-downloads")
 * @param maxUploads         layers sent at once per push ("max-concurrent-uploads")
 */
public record RegistryOptions(Set<String> insecureRegistries, List<URI> mirrors, Path certsRoot,
                              Duration connectTimeout, int maxDownloads, int maxUploads) {
    public static final Path DEFAULT_CERTS = Path.of("/etc/skiff/certs.d");

    public RegistryOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        mirrors = List.copyOf(mirrors);
        maxDownloads = Math.max(1, maxDownloads);
        maxUploads = Math.max(1, maxUploads);
    }

    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), List.of(), DEFAULT_CERTS, Duration.ofSeconds(3), 3, 5);
    }

    /** Plain HTTP is allowed only for loopback and registries listed as insecure. */
    public boolean allowsPlainHttp(String hostPort) {
        String host = hostOf(hostPort).toLowerCase(Locale.ROOT);
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]")
                || insecureRegistries.contains(hostPort) || insecureRegistries.contains(host);
    }

    /** "registry:5000" to "registry"; "[::1]:5000" to "[::1]". */
    static String hostOf(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(0, end + 1);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }
}

package dev.skiff.registry.client;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Pem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;

/**
 * TLS for one registry from Docker's certs.d layout: ROOT/HOST:PORT/*.crt are extra CAs (trusted beside the
 * system's), a *.cert with the *.key of the same name is the client certificate. Keys are PEM, PKCS#8 or PKCS#1 RSA.
 */
final class TlsContexts {
    private TlsContexts() {
    }

    /** The SSL context for {@code hostPort}, or empty when its directory is absent (the JDK default applies). */
    static Optional<SSLContext> forRegistry(Path certsRoot, String hostPort) {
        if (certsRoot == null || hostPort.contains("/") || hostPort.contains("..")) {
            return Optional.empty();
        }
        Path dir = certsRoot.resolve(hostPort);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.sorted().toList();
            List<Path> cas = all.stream().filter(p -> p.toString().endsWith(".crt")).toList();
            Path cert = all.stream().filter(p -> p.toString().endsWith(".cert")).findFirst().orElse(null);
            Path key = null;
            if (cert != null) {
                key = cert.resolveSibling(cert.getFileName().toString().replaceFirst("\\.cert$", ".key"));
                if (!Files.exists(key)) {
                    throw new InvalidArgumentException("client certificate " + cert + " has no key " + key
                            + " (put the key beside it or remove the certificate)");
                }
            }
            return Optional.of(Pem.clientContext(cas, cert, key, false));
        } catch (IOException | GeneralSecurityException e) {
            throw new InvalidArgumentException("cannot use the TLS files for registry " + hostPort + " in " + dir + ": "
                    + e.getMessage() + " (fix or remove them)");
        }
    }
}

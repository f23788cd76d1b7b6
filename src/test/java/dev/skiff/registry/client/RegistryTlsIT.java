package dev.skiff.registry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.errors.UnavailableException;
import dev.skiff.it.DockerRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS from the certs.d layout against docker-registry serving HTTPS on loopback and demanding a client
 * certificate: trusted through HOST:PORT/ca.crt with client.cert + client.key (a PKCS#1 key), refused with the
 * way out named when the CA is missing.
 */
class RegistryTlsIT {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("openssl " + String.join(" ", args) + "\n" + out).isZero();
    }

    @Test
    void certsDir_caAndClientCertificate_makeTlsWork() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1",
                "-subj", "/CN=skiff-test-ca");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "1", "-extfile", "san.ext");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.pk8", "-out", "client.csr", "-subj", "/CN=client");
        openssl("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "client.cert", "-days", "1");
        openssl("rsa", "-in", "client.pk8", "-out", "client.key", "-traditional");

        try (DockerRegistry registry = DockerRegistry.start("""
                tls:
                  certificate: %s
                  key: %s
                  clientcas:
                    - %s
                """.formatted(dir.resolve("server.crt"), dir.resolve("server.key"), dir.resolve("ca.crt")))) {
            Path certs = dir.resolve("certs.d");
            Path hostDir = Files.createDirectories(certs.resolve(registry.host()));
            RegistryOptions options = new RegistryOptions(Set.of(), List.of(), certs, Duration.ofSeconds(3), 3, 5);

            // No CA yet: loopback may fall back to plain http, which this registry does not speak.
            RegistryHttp bare = new RegistryHttp(new RegistryOptions(Set.of(), List.of(), dir.resolve("none"),
                    Duration.ofSeconds(3), 3, 5));
            assertThatThrownBy(() -> RegistrySession.open(bare, bare.base(registry.host()), Credentials.ANONYMOUS))
                    .isInstanceOf(UnavailableException.class).hasMessageContaining(registry.host())
                    .hasMessageContaining("ca.crt");

            Files.copy(dir.resolve("ca.crt"), hostDir.resolve("ca.crt"));
            Files.copy(dir.resolve("client.cert"), hostDir.resolve("client.cert"));
            Files.copy(dir.resolve("client.key"), hostDir.resolve("client.key"));
            RegistryHttp http = new RegistryHttp(options);
            assertThat(http.base(registry.host()).getScheme()).isEqualTo("https");
            RegistrySession s = RegistrySession.open(http, http.base(registry.host()), Credentials.ANONYMOUS);
            assertThat(s.requiresAuth()).isFalse();
            assertThatThrownBy(() -> ManifestFetcher.fetch(s, "nothing", "latest", "manifest for nothing:latest"))
                    .hasMessageContaining("manifest for nothing:latest not found");
        }
    }
}

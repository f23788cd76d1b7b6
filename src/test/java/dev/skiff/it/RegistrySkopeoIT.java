package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.registry.server.Htpasswd;
import dev.skiff.registry.server.RegistryServer;
import dev.skiff.sys.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** skopeo (Debian) copies images into and out of the Skiff registry: plain, with basic auth, with tokens, over TLS. */
class RegistrySkopeoIT {
    @TempDir
    Path dir;

    @BeforeAll
    static void tools() {
        RegistryFixture.requireTools("skopeo");
    }

    /** Copies the layout in, inspects it, copies it out again; the manifest digest never changes. */
    private void roundTrip(RegistryFixture.Image image, String registry, String... auth) throws IOException {
        String ref = "docker://" + registry + "/skiff/busybox:1.0";
        String[] in = concat(new String[] {"skopeo", "copy", "--dest-tls-verify=false"}, prefixed("--dest-", auth),
                new String[] {"oci:" + image.layout() + ":latest", ref});
        RegistryFixture.run(in).assertOk();
        Cli.Result inspect = RegistryFixture.run(concat(new String[] {"skopeo", "inspect", "--tls-verify=false"}, auth,
                new String[] {ref})).assertOk();
        JsonNode info = Json.MAPPER.readTree(inspect.stdout());
        assertThat(info.path("Digest").asText()).isEqualTo(image.manifest().toString());
        assertThat(info.path("Layers").get(0).asText()).isEqualTo(image.layer().toString());
        assertThat(info.path("RepoTags").toString()).contains("1.0");

        Path out = dir.resolve("out-" + System.nanoTime());
        RegistryFixture.run(concat(new String[] {"skopeo", "copy", "--src-tls-verify=false"}, prefixed("--src-", auth),
                new String[] {ref, "oci:" + out + ":copy"})).assertOk();
        JsonNode index = Json.MAPPER.readTree(out.resolve("index.json").toFile());
        assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(image.manifest().toString());
        assertThat(out.resolve("blobs/sha256/" + image.layer().hex())).exists();
    }

    @Test
    void skopeo_copiesIntoAndOutOfTheRegistry() throws Exception {
        RegistryFixture.Image image = RegistryFixture.busyboxLayout(dir.resolve("layout"));
        try (RegistryServer s = RegistryFixture.start(dir.resolve("root"), "")) {
            roundTrip(image, RegistryFixture.hostPort(s));
            // A second copy into another repository mounts or skips every blob: still one copy on disk.
            RegistryFixture.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + image.layout() + ":latest",
                    "docker://" + RegistryFixture.hostPort(s) + "/other/bb:x").assertOk();
            try (var blobs = Files.walk(dir.resolve("root/blobs"))) {
                assertThat(blobs.filter(Files::isRegularFile).count()).isEqualTo(3);
            }
        }
    }

    @Test
    void skopeo_withHtpasswdBasicAuth() throws Exception {
        RegistryFixture.Image image = RegistryFixture.busyboxLayout(dir.resolve("layout"));
        Path users = dir.resolve("htpasswd");
        Files.writeString(users, Htpasswd.line("alice", "s3cret") + "\n");
        try (RegistryServer s = RegistryFixture.start(dir.resolve("root"), "auth: {htpasswd: " + users + "}\n")) {
            String reg = RegistryFixture.hostPort(s);
            Cli.Result denied = RegistryFixture.run("skopeo", "inspect", "--tls-verify=false", "docker://" + reg + "/skiff/busybox:1.0");
            assertThat(denied.exitCode()).isNotZero();
            assertThat(denied.stderr()).containsIgnoringCase("unauthorized");
            Cli.Result wrong = RegistryFixture.run("skopeo", "copy", "--dest-tls-verify=false", "--dest-creds", "alice:nope",
                    "oci:" + image.layout() + ":latest", "docker://" + reg + "/skiff/busybox:1.0");
            assertThat(wrong.exitCode()).isNotZero();
            assertThat(dir.resolve("root/repositories/skiff")).doesNotExist();
            roundTrip(image, reg, "--creds", "alice:s3cret");
        }
    }

    @Test
    void skopeo_withTokenAuth() throws Exception {
        RegistryFixture.Image image = RegistryFixture.busyboxLayout(dir.resolve("layout"));
        Path users = dir.resolve("htpasswd");
        Files.writeString(users, Htpasswd.line("bob", "hunter2") + "\n");
        String yaml = "auth: {htpasswd: " + users + ", token: {key: " + dir.resolve("token.key") + ", service: test-registry}}\n";
        try (RegistryServer s = RegistryFixture.start(dir.resolve("root"), yaml)) {
            String reg = RegistryFixture.hostPort(s);
            var client = java.net.http.HttpClient.newHttpClient();
            var resp = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://" + reg + "/v2/skiff/busybox/tags/list")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).isEqualTo(401);
            assertThat(resp.headers().firstValue("WWW-Authenticate").orElse(""))
                    .isEqualTo("Bearer realm=\"http://" + reg + "/token\",service=\"test-registry\",scope=\"repository:skiff/busybox:pull\"");
            roundTrip(image, reg, "--creds", "bob:hunter2");
            Cli.Result wrong = RegistryFixture.run("skopeo", "inspect", "--tls-verify=false", "--creds", "bob:wrong",
                    "docker://" + reg + "/skiff/busybox:1.0");
            assertThat(wrong.exitCode()).isNotZero();
        }
    }

    @Test
    void skopeo_overTlsWithASelfSignedCertificate() throws Exception {
        RegistryFixture.requireTools("openssl");
        RegistryFixture.Image image = RegistryFixture.busyboxLayout(dir.resolve("layout"));
        Path certs = dir.resolve("certs");
        Files.createDirectories(certs);
        RegistryFixture.run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", certs.resolve("key.pem").toString(),
                "-out", certs.resolve("cert.pem").toString()).assertOk();
        String yaml = "tls: {cert: " + certs.resolve("cert.pem") + ", key: " + certs.resolve("key.pem") + "}\n";
        try (RegistryServer s = RegistryFixture.start(dir.resolve("root"), yaml)) {
            String reg = RegistryFixture.hostPort(s);
            // skopeo trusts the registry through a certs.d-style directory holding the CA (the cert itself).
            Path certDir = dir.resolve("trust");
            Files.createDirectories(certDir);
            Files.copy(certs.resolve("cert.pem"), certDir.resolve("ca.crt"));
            String ref = "docker://" + reg + "/tls/busybox:1";
            RegistryFixture.run("skopeo", "copy", "--dest-cert-dir", certDir.toString(), "oci:" + image.layout() + ":latest", ref).assertOk();
            Cli.Result inspect = RegistryFixture.run("skopeo", "inspect", "--cert-dir", certDir.toString(), ref).assertOk();
            assertThat(Json.MAPPER.readTree(inspect.stdout()).path("Digest").asText()).isEqualTo(image.manifest().toString());
            Path out = dir.resolve("out");
            RegistryFixture.run("skopeo", "copy", "--src-cert-dir", certDir.toString(), ref, "oci:" + out + ":x").assertOk();
            assertThat(Files.size(out.resolve("blobs/sha256/" + image.layer().hex())))
                    .isEqualTo(Files.size(image.layout().resolve("blobs/sha256/" + image.layer().hex())));
            // Without trusting the certificate, verification fails.
            assertThat(RegistryFixture.run("skopeo", "inspect", ref).exitCode()).isNotZero();
        }
    }

    private static String[] prefixed(String prefix, String[] auth) {
        return auth.length == 0 ? auth : new String[] {prefix + auth[0].substring(2), auth[1]};
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}

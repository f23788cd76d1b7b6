package dev.skiff.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.image.Digest;
import dev.skiff.registry.server.RegistryConfig;
import dev.skiff.registry.server.RegistryServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Registry servers on loopback and the images the registry tests push: an OCI layout of busybox. */
final class RegistryFixture {
    private RegistryFixture() {
    }

    /** Skips without the tools (fails in CI, where a skip would hide a gap). */
    static void requireTools(String... bins) {
        for (String b : bins) {
            boolean ok = Requirements.onPath(b);
            if (!ok && "true".equals(System.getenv("CI"))) {
                throw new AssertionError(b + " is not installed (run bin/install-deps)");
            }
            assumeTrue(ok, b + " is not installed");
        }
    }

    /** A registry on a free loopback port storing under {@code root}, with extra YAML settings. */
    static RegistryServer start(Path root, String yaml) throws IOException {
        Path cfg = Files.createTempFile("registry", ".yaml");
        try {
            Files.writeString(cfg, "addr: 127.0.0.1:0\nroot: " + root + "\n" + yaml);
            return RegistryServer.start(RegistryConfig.load(cfg));
        } finally {
            Files.deleteIfExists(cfg);
        }
    }

    static String hostPort(RegistryServer s) {
        return "127.0.0.1:" + s.address().getPort();
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** The digests of the image {@link #busyboxLayout} writes. */
    record Image(Path layout, Digest manifest, Digest config, Digest layer) {
    }

    /** Writes an OCI image layout of Debian's busybox at {@code dir}, tagged {@code latest}. */
    static Image busyboxLayout(Path dir) throws IOException {
        byte[] rootfs = Cli.busyboxRootfs();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(rootfs);
        }
        byte[] layer = gz.toByteArray();
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + Digest.sha256(rootfs) + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + Digest.sha256(config)
                + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\","
                + "\"digest\":\"" + Digest.sha256(layer) + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        Path blobs = dir.resolve("blobs/sha256");
        Files.createDirectories(blobs);
        for (byte[] b : List.of(layer, config, manifest)) {
            Files.write(blobs.resolve(Digest.sha256(b).hex()), b);
        }
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(dir.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
                + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + Digest.sha256(manifest) + "\",\"size\":"
                + manifest.length + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"latest\"}}]}");
        return new Image(dir, Digest.sha256(manifest), Digest.sha256(config), Digest.sha256(layer));
    }

    static Cli.Result run(String... cmd) {
        return Cli.run(null, List.of(cmd), null);
    }
}

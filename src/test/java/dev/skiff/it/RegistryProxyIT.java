package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.registry.server.RegistryServer;
import dev.skiff.sys.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pull-through cache against Debian's docker-registry (the reference distribution registry) on
 * loopback: content is fetched once, verified, stored, and still served when the upstream is gone.
 */
class RegistryProxyIT {
    @TempDir
    Path dir;

    /** Starts /usr/bin/docker-registry on a free loopback port with a temp config and storage. */
    private Process upstream(int port) throws Exception {
        Path cfg = dir.resolve("upstream.yml");
        Files.writeString(cfg, "version: 0.1\nlog: {level: warn}\nstorage:\n  filesystem: {rootdirectory: " + dir.resolve("upstream")
                + "}\n  delete: {enabled: true}\nhttp:\n  addr: 127.0.0.1:" + port + "\n");
        Process p = new ProcessBuilder("docker-registry", "serve", cfg.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("upstream.log").toFile()).start();
        RegistryClient c = new RegistryClient("127.0.0.1:" + port);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (c.get("/v2/").statusCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    throw new AssertionError("docker-registry did not start: " + Files.readString(dir.resolve("upstream.log")));
                }
                Thread.sleep(200);
            }
        }
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void proxy_fetchesFromUpstreamOnceAndServesFromItsCache() throws Exception {
        RegistryFixture.requireTools("docker-registry", "skopeo");
        RegistryFixture.Image image = RegistryFixture.busyboxLayout(dir.resolve("layout"));
        int port = RegistryFixture.freePort();
        Process upstream = upstream(port);
        try (RegistryServer proxy = RegistryFixture.start(dir.resolve("cache"), "proxy: {url: http://127.0.0.1:" + port + "}\n")) {
            String reg = RegistryFixture.hostPort(proxy);
            try {
                RegistryFixture.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + image.layout() + ":latest",
                        "docker://127.0.0.1:" + port + "/library/busybox:1").assertOk();

                Cli.Result inspect = RegistryFixture.run("skopeo", "inspect", "--tls-verify=false", "docker://" + reg + "/library/busybox:1").assertOk();
                assertThat(Json.MAPPER.readTree(inspect.stdout()).path("Digest").asText()).isEqualTo(image.manifest().toString());
                Path out = dir.resolve("out1");
                RegistryFixture.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + reg + "/library/busybox:1", "oci:" + out + ":x").assertOk();
                JsonNode index = Json.MAPPER.readTree(out.resolve("index.json").toFile());
                assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(image.manifest().toString());
                assertThat(proxy.storage().blobStored(image.layer())).isTrue();
                assertThat(proxy.storage().blobStored(image.config())).isTrue();

                {
                    var push = new RegistryClient(reg).send("POST", "/v2/library/busybox/blobs/uploads/", null);
                    assertThat(push.statusCode()).isEqualTo(405);
                }
            } finally {
                stop(upstream);
            }
            // Upstream gone: the tag and its blobs come from the cache.
            Path out = dir.resolve("out2");
            RegistryFixture.run("skopeo", "copy", "--src-tls-verify=false", "docker://" + reg + "/library/busybox:1", "oci:" + out + ":x").assertOk();
            assertThat(Files.size(out.resolve("blobs/sha256/" + image.layer().hex())))
                    .isEqualTo(Files.size(image.layout().resolve("blobs/sha256/" + image.layer().hex())));
            var missing = new RegistryClient(reg).get("/v2/library/other/manifests/latest");
            assertThat(missing.statusCode()).isEqualTo(404);
        }
    }
}

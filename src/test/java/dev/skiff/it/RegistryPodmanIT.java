package dev.skiff.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.registry.server.RegistryServer;
import dev.skiff.sys.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Podman (Debian) pulls from and pushes to the Skiff registry, with its own storage in temp dirs. */
class RegistryPodmanIT {
    @TempDir
    Path dir;

    private Cli.Result podman(String... args) {
        List<String> cmd = new ArrayList<>(List.of("podman", "--root", dir.resolve("podman/root").toString(),
                "--runroot", dir.resolve("podman/runroot").toString(), "--tmpdir", dir.resolve("podman/tmp").toString(),
                "--runtime", "runc", "--storage-driver", "vfs", "--events-backend", "none", "--cgroup-manager", "cgroupfs"));
        cmd.addAll(List.of(args));
        return Cli.run(null, cmd, null);
    }

    @Test
    void podman_pullsAndPushes() throws Exception {
        RegistryFixture.requireTools("podman", "skopeo");
        RegistryFixture.Image image = RegistryFixture.busyboxLayout(dir.resolve("layout"));
        Files.createDirectories(dir.resolve("podman/tmp"));
        try (RegistryServer s = RegistryFixture.start(dir.resolve("root"), "")) {
            String reg = RegistryFixture.hostPort(s);
            RegistryFixture.run("skopeo", "copy", "--dest-tls-verify=false", "oci:" + image.layout() + ":latest",
                    "docker://" + reg + "/base/busybox:latest").assertOk();

            podman("pull", "--tls-verify=false", reg + "/base/busybox:latest").assertOk();
            JsonNode pulled = Json.MAPPER.readTree(podman("image", "inspect", reg + "/base/busybox:latest").assertOk().stdout()).get(0);
            assertThat(pulled.path("Digest").asText()).isEqualTo(image.manifest().toString());

            podman("tag", reg + "/base/busybox:latest", reg + "/pushed/by-podman:v1").assertOk();
            Path digestFile = dir.resolve("digest");
            podman("push", "--tls-verify=false", "--digestfile", digestFile.toString(), reg + "/pushed/by-podman:v1").assertOk();
            String pushed = Files.readString(digestFile).strip();
            Cli.Result inspect = RegistryFixture.run("skopeo", "inspect", "--tls-verify=false", "docker://" + reg + "/pushed/by-podman:v1").assertOk();
            JsonNode info = Json.MAPPER.readTree(inspect.stdout());
            assertThat(info.path("Digest").asText()).isEqualTo(pushed);
            assertThat(info.path("Layers").size()).isEqualTo(1);

            podman("rmi", "-a", "-f").assertOk();
            podman("pull", "--tls-verify=false", reg + "/pushed/by-podman:v1").assertOk();
            assertThat(podman("images", "--format", "{{.Repository}}:{{.Tag}}").assertOk().stdout()).contains(reg + "/pushed/by-podman:v1");
        } finally {
            podman("rmi", "-a", "-f");
        }
    }
}

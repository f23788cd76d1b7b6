package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker-java (the client Testcontainers uses) over the unix socket: ping, version, an error. */
class DockerJavaTest {
    @TempDir
    static Path dir;
    static TestServer srv;
    static DockerClient docker;

    @BeforeAll
    static void start() throws Exception {
        Router r = new Router()
                .add("GET", "/_ping", new PingHandler())
                .add("GET", "/version", (req, resp) -> resp.json(200, Map.of(
                        "Version", "28.2.2", "ApiVersion", ApiVersions.CURRENT, "MinAPIVersion", ApiVersions.MINIMUM,
                        "Os", "linux", "Arch", "amd64")))
                .add("GET", "/containers/{id}/json", (req, resp) -> {
                    throw new dev.skiff.errors.NotFoundException("No such container: " + req.pathParam("id"));
                });
        srv = new TestServer(r, dir);
        var config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(srv.unixHost()).withDockerConfig(dir.toString()).build();
        var http = new ZerodepDockerHttpClient.Builder().dockerHost(URI.create(srv.unixHost())).build();
        docker = DockerClientImpl.getInstance(config, http);
    }

    @AfterAll
    static void stop() throws Exception {
        if (docker != null) {
            docker.close();
        }
        srv.close();
    }

    @Test
    void pingAndVersion_work() {
        docker.pingCmd().exec();
        var v = docker.versionCmd().exec();
        assertThat(v.getApiVersion()).isEqualTo("1.50");
        assertThat(v.getVersion()).isEqualTo("28.2.2");
    }

    @Test
    void notFound_becomesTheClientsNotFoundException() {
        Assertions.assertThatThrownBy(() -> docker.inspectContainerCmd("nope").exec())
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("No such container: nope");
    }
}

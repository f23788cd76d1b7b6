package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitAllStrategy;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * Testcontainers, unmodified, against a real skiffd: a container with a mapped port reached from this JVM,
 * two containers on a Testcontainers network finding each other by alias, logs, files copied in and out, exec,
 * log and HTTP wait strategies, and stop removing all.
 *
 * <p>Testcontainers keeps one Docker client per JVM, so this is the only class that uses it and it talks to one
 * daemon. DOCKER_HOST comes from a system property (docker-java reads those over the environment); Ryuk and the
 * startup checks are turned off by failsafe's environment (pom.xml) because both would pull images. The image
 * is the daemon's local busybox and the default pull policy pulls only what is missing, so nothing is pulled.
 */
class TestcontainersIT {
    static final DockerImageName BUSYBOX = DockerImageName.parse("busybox:latest");
    /** Writes a page and serves it with busybox httpd on 8080, in the foreground so the container lives. */
    static final String HTTPD = "mkdir -p /www && echo hello-from-testcontainers > /www/index.html"
            + " && echo serving && exec httpd -f -p 8080 -h /www";

    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
        System.setProperty("DOCKER_HOST", daemon.host());
    }

    @AfterAll
    static void stop() throws Exception {
        System.clearProperty("DOCKER_HOST");
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void testcontainersTalksToSkiffd() {
        assertThat(DockerClientFactory.instance().isDockerAvailable()).isTrue();
        assertThat(DockerClientFactory.instance().getInfo().getServerVersion()).isNotBlank();
    }

    @Test
    void mappedPort_answersFromThisJvm_andLogsAndRemovalWork() throws Exception {
        String id;
        try (GenericContainer<?> web = httpd()) {
            web.start();
            id = web.getContainerId();
            String url = "http://" + web.getHost() + ":" + web.getMappedPort(8080) + "/index.html";
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello-from-testcontainers\n");
            assertThat(web.getLogs()).contains("serving");
            assertThat(docker(daemon, "ps", "-q", "--no-trunc").assertOk().out()).contains(id);
        }
        // stop() (what close() does) kills and removes the container with its anonymous volumes.
        assertThat(docker(daemon, "ps", "-aq", "--no-trunc").assertOk().out()).doesNotContain(id);
    }

    @Test
    void network_letsOneContainerReachAnotherByAlias() {
        String networkId;
        try (Network network = Network.newNetwork();
                GenericContainer<?> web = httpd().withNetwork(network).withNetworkAliases("web");
                GenericContainer<?> client = new GenericContainer<>(BUSYBOX)
                        .withImagePullPolicy(PullPolicy.defaultPolicy())
                        .withNetwork(network)
                        .withCommand("wget", "-qO-", "http://web:8080/")
                        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofSeconds(30)))) {
            web.start();
            networkId = network.getId();
            assertThat(docker(daemon, "network", "inspect", "--format", "{{.Id}}", networkId).assertOk().out())
                    .isEqualTo(networkId);
            client.start();
            assertThat(client.getLogs()).isEqualTo("hello-from-testcontainers\n");
        }
        assertThat(docker(daemon, "ps", "-aq").assertOk().out()).isEmpty();
        assertThat(docker(daemon, "network", "ls", "-q", "--no-trunc").assertOk().out()).doesNotContain(networkId);
    }

    @Test
    void copyFilesInAndOut_execInContainer_envAndWaitStrategies() throws Exception {
        try (GenericContainer<?> c = new GenericContainer<>(BUSYBOX)
                .withImagePullPolicy(PullPolicy.defaultPolicy())
                .withEnv("GREETING", "hi-from-env")
                .withCopyToContainer(Transferable.of("copied-in\n"), "/www/index.html")
                .withCommand("sh", "-c", "echo ready; exec httpd -f -p 8080 -h /www")
                .withExposedPorts(8080)
                .waitingFor(new WaitAllStrategy()
                        .withStrategy(Wait.forLogMessage("ready\\n", 1))
                        .withStrategy(Wait.forHttp("/index.html").forStatusCode(200))
                        .withStartupTimeout(Duration.ofSeconds(30)))) {
            c.start();
            Container.ExecResult exec = c.execInContainer("sh", "-c", "echo $GREETING; cat /www/index.html; echo oops >&2; exit 3");
            assertThat(exec.getExitCode()).isEqualTo(3);
            assertThat(exec.getStdout()).isEqualTo("hi-from-env\ncopied-in\n");
            assertThat(exec.getStderr()).isEqualTo("oops\n");
            c.execInContainer("sh", "-c", "echo made-inside > /tmp/out.txt");
            String copiedOut = c.copyFileFromContainer("/tmp/out.txt",
                    in -> new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(copiedOut).isEqualTo("made-inside\n");
        }
    }

    private static GenericContainer<?> httpd() {
        return new GenericContainer<>(BUSYBOX)
                .withImagePullPolicy(PullPolicy.defaultPolicy())
                .withCommand("sh", "-c", HTTPD)
                .withExposedPorts(8080)
                .withStartupTimeout(Duration.ofSeconds(30));
    }
}

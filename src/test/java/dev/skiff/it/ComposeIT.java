package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose 1.29 (Debian's, Python, docker-py), unmodified, against a real skiffd: a project with a web
 * service (httpd, a published port, a named volume) and a client that reaches it by service name on the
 * project's network; up, ps, port, logs, traffic from the host, and down -v leaving nothing behind.
 */
class ComposeIT {
    static final String COMPOSE_FILE = """
            version: "3.8"
            services:
              web:
                image: busybox:latest
                command: ["sh", "-c", "echo hello-from-compose > /data/index.html && echo serving && exec httpd -f -p 8080 -h /data"]
                ports: ["8080"]
                volumes: ["webdata:/data"]
                networks: [appnet]
              client:
                image: busybox:latest
                command: ["sh", "-c", "until wget -qO- http://web:8080/; do sleep 0.2; done; exec sleep 300"]
                depends_on: [web]
                networks: [appnet]
            networks:
              appnet: {}
            volumes:
              webdata: {}
            """;

    static SkiffdProcess daemon;
    static Path dir;
    static String project;

    @BeforeAll
    static void start() throws Exception {
        Requirements.assumeTool("docker-compose");
        daemon = SkiffdProcess.startWithBusybox();
        dir = Files.createTempDirectory("skiff-compose-");
        Files.writeString(dir.resolve("docker-compose.yml"), COMPOSE_FILE);
        project = "skc" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            compose("down", "-v", "-t", "1");
            daemon.close();
        }
        if (dir != null) {
            Files.deleteIfExists(dir.resolve("docker-compose.yml"));
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void upPsLogsPortTraffic_thenDownRemovesContainersNetworksAndVolumes() throws Exception {
        compose("up", "-d").assertOk();

        String ps = compose("ps").assertOk().out();
        assertThat(ps).contains(project + "_web_1", project + "_client_1").contains("Up");
        assertThat(docker(daemon, "ps", "--format", "{{.Names}}").assertOk().out().lines())
                .containsExactlyInAnyOrder(project + "_web_1", project + "_client_1");

        // The client finds web by its service name through the network's DNS, then prints the page.
        String clientLogs = awaitLogs("client", "hello-from-compose");
        assertThat(clientLogs).contains("hello-from-compose");
        assertThat(awaitLogs("web", "serving")).contains("serving");

        String port = compose("port", "web", "8080").assertOk().out();
        assertThat(port).matches("0\\.0\\.0\\.0:\\d+");
        int hostPort = Integer.parseInt(port.substring(port.indexOf(':') + 1));
        HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + hostPort + "/index.html"))
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("hello-from-compose\n");

        assertThat(docker(daemon, "network", "ls", "--format", "{{.Name}}").assertOk().out().lines())
                .contains(project + "_appnet");
        assertThat(docker(daemon, "volume", "ls", "--format", "{{.Name}}").assertOk().out().lines())
                .contains(project + "_webdata");

        compose("down", "-v", "-t", "1").assertOk();
        assertThat(docker(daemon, "ps", "-aq").assertOk().out()).isEmpty();
        assertThat(docker(daemon, "network", "ls", "--format", "{{.Name}}").assertOk().out())
                .doesNotContain(project);
        assertThat(docker(daemon, "volume", "ls", "-q").assertOk().out()).isEmpty();
    }

    /** `docker-compose logs SERVICE` until it shows {@code text} (the service may still be starting). */
    private static String awaitLogs(String service, String text) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String logs = "";
        while (System.nanoTime() < deadline) {
            logs = compose("logs", "--no-color", service).assertOk().stdout();
            if (logs.contains(text)) {
                return logs;
            }
            Thread.sleep(200);
        }
        return logs;
    }

    private static Cli.Result compose(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "--no-ansi", "-p", project,
                "-f", dir.resolve("docker-compose.yml").toString()));
        cmd.addAll(List.of(args));
        return Cli.run(daemon, cmd, null);
    }
}

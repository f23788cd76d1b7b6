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
                environment: [GREETING=hello-from-env]
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

        // exec into a running service, a one-off run that is removed, a restart that keeps the volume's page.
        assertThat(compose("exec", "-T", "web", "sh", "-c", "echo $GREETING; cat /data/index.html").assertOk().out())
                .isEqualTo("hello-from-env\nhello-from-compose");
        assertThat(compose("run", "--rm", "client", "wget", "-qO-", "http://web:8080/").assertOk().out())
                .endsWith("hello-from-compose");
        compose("restart", "-t", "1", "web").assertOk();

        String port = compose("port", "web", "8080").assertOk().out();
        assertThat(port).matches("0\\.0\\.0\\.0:\\d+");
        int hostPort = Integer.parseInt(port.substring(port.indexOf(':') + 1));
        assertThat(awaitGet("http://127.0.0.1:" + hostPort + "/index.html")).isEqualTo("hello-from-compose\n");

        // a recreate (what `up` does after a change to a service) reads the old image's ContainerConfig through API
        // 1.41; the new container keeps the named volume's page, and its port answers at once though the client keeps
        // the bridge up (the host must not send to the old container's MAC)
        compose("up", "-d", "--force-recreate", "web").assertOk();
        String port2 = compose("port", "web", "8080").assertOk().out();
        int hostPort2 = Integer.parseInt(port2.substring(port2.indexOf(':') + 1));
        assertThat(NetworkIT.fetchOnce("127.0.0.1", hostPort2)).contains("hello-from-compose");

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

    @Test
    void build_thenForegroundUpAttachesToEveryService_andAbortsWhenOneExits() throws Exception {
        Path buildDir = Files.createTempDirectory("skiff-compose-build-");
        String name = project + "b";
        try {
            Files.writeString(buildDir.resolve("Dockerfile"), """
                    FROM busybox:latest
                    RUN echo built-by-compose > /built
                    CMD ["cat", "/built"]
                    """);
            Files.writeString(buildDir.resolve("docker-compose.yml"), """
                    version: "3.8"
                    services:
                      built:
                        build: .
                      waiter:
                        image: busybox:latest
                        command: ["sleep", "300"]
                    """);
            composeIn(buildDir, name, "build").assertOk();
            assertThat(docker(daemon, "image", "ls", "--format", "{{.Repository}}").assertOk().out().lines())
                    .contains(name + "_built");
            // Foreground up attaches to both services' output; the first exit stops the other.
            Cli.Result up = composeIn(buildDir, name, "up", "--abort-on-container-exit", "-t", "1").assertOk();
            assertThat(up.stdout()).contains("built-by-compose").contains(name + "_built_1 exited with code 0");
            assertThat(docker(daemon, "ps", "-q", "--filter", "name=" + name).assertOk().out()).isEmpty();
        } finally {
            composeIn(buildDir, name, "down", "-v", "--rmi", "local", "-t", "1");
            try (var files = Files.list(buildDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(buildDir);
        }
        assertThat(docker(daemon, "ps", "-aq", "--filter", "name=" + name).assertOk().out()).isEmpty();
        assertThat(docker(daemon, "image", "ls", "--format", "{{.Repository}}").assertOk().out()).doesNotContain(name);
    }

    /** A service's logging: section ships its lines (here to a syslog server), and compose logs still reads them. */
    @Test
    void loggingSection_shipsTheServicesLines() throws Exception {
        Path d = Files.createTempDirectory("skiff-compose-logging-");
        String name = project + "l";
        try (dev.skiff.engine.logging.TcpDestination syslog = new dev.skiff.engine.logging.TcpDestination(
                (buf, out, c) -> dev.skiff.engine.logging.SyslogDecoder.lines(buf, out))) {
            Files.writeString(d.resolve("docker-compose.yml"), """
                    version: "3.8"
                    services:
                      talker:
                        image: busybox:latest
                        command: ["echo", "shipped by compose"]
                        logging:
                          driver: syslog
                          options:
                            syslog-address: "tcp://127.0.0.1:%d"
                            tag: "{{.Name}}"
                    """.formatted(syslog.port()));
            composeIn(d, name, "up", "-d").assertOk();
            var got = syslog.await(1, java.time.Duration.ofSeconds(15)).getFirst();
            assertThat(got.line()).isEqualTo("shipped by compose");
            assertThat(got.fields().get("header")).contains(name + "_talker_1[");
            assertThat(composeIn(d, name, "logs", "--no-color").assertOk().stdout()).contains("shipped by compose");
        } finally {
            composeIn(d, name, "down", "-t", "1");
            Files.deleteIfExists(d.resolve("docker-compose.yml"));
            Files.delete(d);
        }
    }

    /**
     * compose's build options as docker-py sends them (build.network, build.extra_hosts with host-gateway,
     * build.args): the RUN steps reach a container on that network by name and see the gateway.
     */
    @Test
    void build_onANetwork_withExtraHostsAndArgs() throws Exception {
        Path buildDir = Files.createTempDirectory("skiff-compose-net-");
        String name = project + "n";
        String net = name + "net";
        String gateway = daemon.bip().replaceFirst("/.*", "");
        try {
            docker(daemon, "network", "create", net).assertOk();
            docker(daemon, "run", "-d", "--name", name + "web", "--network", net, "--network-alias", "buildsrc",
                    "busybox", "sh", "-c", "mkdir /w && echo from-the-network > /w/i && exec httpd -f -p 80 -h /w")
                    .assertOk();
            Files.writeString(buildDir.resolve("Dockerfile"), """
                    FROM busybox:latest
                    ARG WHO
                    RUN for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O /got http://buildsrc/i && break; sleep 0.3; done; \
                        echo "$(cat /got) who=$WHO $(grep -w gw /etc/hosts | cut -f1)"
                    """);
            Files.writeString(buildDir.resolve("docker-compose.yml"), """
                    version: "3.8"
                    services:
                      app:
                        build:
                          context: .
                          network: %s
                          args: {WHO: compose}
                          extra_hosts: ["gw:host-gateway"]
                    """.formatted(net));
            Cli.Result build = composeIn(buildDir, name, "build", "--no-cache").assertOk();
            assertThat(build.stdout() + build.stderr()).contains("from-the-network who=compose " + gateway);
        } finally {
            composeIn(buildDir, name, "down", "--rmi", "local", "-t", "1");
            docker(daemon, "rm", "-f", name + "web");
            docker(daemon, "network", "rm", net);
            try (var files = Files.list(buildDir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(buildDir);
        }
    }

    /** GET from the host, retrying while the service comes back from a restart. */
    private static String awaitGet(String url) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 || System.nanoTime() > deadline) {
                    return r.body();
                }
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(200);
        }
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
        return composeIn(dir, project, args);
    }

    private static Cli.Result composeIn(Path projectDir, String projectName, String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker-compose", "--ansi", "never", "-p", projectName,
                "--project-directory", projectDir.toString(), "-f", projectDir.resolve("docker-compose.yml").toString()));
        cmd.addAll(List.of(args));
        return Cli.run(daemon, cmd, null);
    }
}

package dev.skiff.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's docker-registry (the reference distribution registry) on a free loopback port with its own temp
 * storage and config; its access log is kept so tests can count requests. {@link #close()} stops and deletes it.
 */
public final class DockerRegistry implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final Process process;

    private DockerRegistry(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    public static DockerRegistry start() throws IOException, InterruptedException {
        return start("");
    }

    /** With extra YAML under "http:" (indented two spaces), e.g. a tls section. */
    public static DockerRegistry start(String httpExtra) throws IOException, InterruptedException {
        boolean present = Files.isExecutable(Path.of("/usr/bin/docker-registry"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("docker-registry is not installed (run bin/install-deps)");
        }
        assumeTrue(present, "docker-registry is not installed (run bin/install-deps)");
        Path dir = Files.createTempDirectory("skiff-registry-");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: info
                  accesslog:
                    disabled: false
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                %s
                validation:
                  manifests:
                    urls:
                      allow:
                        - ^https?://
                """.formatted(dir.resolve("data"), port, httpExtra.indent(2).stripTrailing()));
        Process p = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile()).start();
        DockerRegistry r = new DockerRegistry(dir, port, p);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            try (java.net.Socket probe = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
                return r; // listening (TLS or not)
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        r.close();
        throw new IllegalStateException("docker-registry did not start:\n" + r.log());
    }

    /** "127.0.0.1:PORT". */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public String url() {
        return "http://" + host();
    }

    String log() {
        try {
            return Files.readString(dir.resolve("registry.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** Requests in the access log whose request line contains {@code fragment} ("GET /v2/x/blobs/sha256:..."). */
    long count(String fragment) {
        return log().lines().filter(l -> l.contains("\"" + fragment) || l.contains(fragment + " HTTP/")).count();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package dev.skiff.api.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real docker CLI (28.2.2) against the server with a few fake routes: proves the wire format of
 * ping, version negotiation, JSON, stdcopy-framed streams, and hijack with stdin half-close.
 */
class DockerCliTest {
    @TempDir
    static Path dir;
    static TestServer srv;

    static final Map<String, Object> CONTAINER = Map.of(
            "Id", "c0ffee000000000000000000000000000000000000000000000000000000c0de",
            "Name", "/web",
            "Config", Map.of("Tty", false, "OpenStdin", true, "AttachStdin", true),
            "State", Map.of("Status", "running", "Running", true, "Paused", false, "Restarting", false));

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(onPath("docker"), "the docker CLI is not on the PATH");
        Router r = new Router()
                .add("GET", "/_ping", new PingHandler())
                .add("GET", "/version", (req, resp) -> resp.json(200, Map.of(
                        "Platform", Map.of("Name", "Skiff"),
                        "Version", "28.2.2", "ApiVersion", ApiVersions.CURRENT, "MinAPIVersion", ApiVersions.MINIMUM,
                        "Os", "linux", "Arch", "amd64", "GitCommit", "test", "GoVersion", "none",
                        "KernelVersion", "test",
                        "Components", List.of(Map.of("Name", "Engine", "Version", "28.2.2",
                                "Details", Map.of("ApiVersion", ApiVersions.CURRENT))))))
                .add("GET", "/containers/{id}/json", (req, resp) -> resp.json(200, CONTAINER))
                .add("GET", "/containers/{id}/logs", (req, resp) -> {
                    OutputStream out = resp.stream(200, "application/vnd.docker.multiplexed-stream");
                    StdCopyOutputStream.stdout(out).write("out line\n".getBytes(StandardCharsets.UTF_8));
                    StdCopyOutputStream.stderr(out).write("err line\n".getBytes(StandardCharsets.UTF_8));
                    out.close();
                })
                .add("POST", "/images/load", (req, resp) -> {
                    long n = req.body().transferTo(OutputStream.nullOutputStream());
                    OutputStream out = resp.stream(200, "application/json");
                    out.write(dev.skiff.sys.Json.MAPPER.writeValueAsBytes(
                            Map.of("stream", "Loaded image: busybox:latest (" + n + " bytes)\n")));
                    out.close();
                })
                .add("POST", "/containers/{id}/wait", (req, resp) -> resp.json(200, Map.of("StatusCode", 3)))
                .add("POST", "/containers/{id}/attach", (req, resp) -> {
                    Hijacked h = resp.hijack("application/vnd.docker.multiplexed-stream");
                    byte[] stdin = h.in().readAllBytes();
                    StdCopyOutputStream.stdout(h.out()).write(("echo: " + new String(stdin, StandardCharsets.UTF_8))
                            .getBytes(StandardCharsets.UTF_8));
                    h.closeOutput();
                });
        srv = new TestServer(r, dir);
    }

    @AfterAll
    static void stop() {
        if (srv != null) {
            srv.close();
        }
    }

    @Test
    void version_negotiatesAndReadsServerJson() throws Exception {
        Result v = docker(null, "version", "--format", "{{.Server.APIVersion}} {{.Server.Version}} {{.Client.APIVersion}}");
        assertThat(v.exit).as(v.stderr).isZero();
        assertThat(v.stdout.trim()).isEqualTo("1.50 28.2.2 1.50");
    }

    @Test
    void logs_demultiplexesStdoutAndStderr() throws Exception {
        Result logs = docker(null, "logs", "web");
        assertThat(logs.exit).as(logs.stderr).isZero();
        assertThat(logs.stdout).isEqualTo("out line\n");
        assertThat(logs.stderr).isEqualTo("err line\n");
    }

    @Test
    void attach_sendsStdinHalfClosesAndReadsTheEcho() throws Exception {
        Result attach = docker("hello\n", "attach", "web");
        assertThat(attach.stdout).as(attach.stderr).isEqualTo("echo: hello\n");
        assertThat(attach.exit).isEqualTo(3);
    }

    @Test
    void load_streamsAChunkedUploadAndTheJsonProgress() throws Exception {
        Path tar = dir.resolve("image.tar");
        Files.write(tar, new byte[5 * 1024 * 1024 + 7]);
        Result load = docker(null, "load", "-i", tar.toString());
        assertThat(load.exit).as(load.stderr).isZero();
        assertThat(load.stdout).contains("Loaded image: busybox:latest (5242887 bytes)");
    }

    record Result(int exit, String stdout, String stderr) {
    }

    private static Result docker(String stdin, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        ProcessBuilder pb = new ProcessBuilder();
        pb.command().add("docker");
        pb.command().addAll(List.of(args));
        pb.environment().remove("DOCKER_CONTEXT");
        pb.environment().put("DOCKER_HOST", srv.unixHost());
        pb.environment().put("DOCKER_CONFIG", dir.resolve("docker-config").toString());
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("docker " + String.join(" ", args) + " did not finish: " + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}

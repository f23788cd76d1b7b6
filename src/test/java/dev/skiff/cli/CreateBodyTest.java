package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every run/create flag lands in the create body field docker puts it in. */
class CreateBodyTest {
    private static final String ID = "c0ffee";

    private static JsonNode body(String... args) throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /containers/create*", "{\"Id\":\"" + ID + "\"}");
        CliHarness.Result r = CliHarness.run(api, args);
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).isEqualTo(ID + "\n");
        return api.request("POST", "/containers/create").json();
    }

    @Test
    void everyFlagLandsInItsField(@TempDir Path dir) throws Exception {
        Path envFile = dir.resolve("env");
        Files.writeString(envFile, "# comment\nFROM_FILE=1\n\nFROM_HOST\nNOT_ON_HOST\n"); // the last one dropped
        Path labelFile = dir.resolve("labels");
        Files.writeString(labelFile, "team=core\n");
        JsonNode b = body("create", "-i", "-t", "--name", "web", "-e", "A=1", "--env", "FROM_HOST", "--env-file", envFile.toString(),
                "-w", "/srv", "-u", "1000:1000", "--entrypoint", "/bin/sh", "-h", "box", "-l", "a=b", "--label", "flag",
                "--label-file", labelFile.toString(), "--init", "--read-only", "--tmpfs", "/run:rw,size=64m", "--tmpfs", "/tmp",
                "--restart", "on-failure:3", "--stop-signal", "SIGINT", "--stop-timeout", "20", "-m", "512m",
                "--memory-swap", "1g", "--cpus", "1.5", "-c", "512", "--pids-limit", "100", "--cap-add", "NET_ADMIN",
                "--cap-drop", "MKNOD", "--privileged", "--security-opt", "no-new-privileges", "--network", "host",
                "--pull", "never", "--platform", "linux/amd64", "-v", "/data:/data:ro", "-v", "/anon", "-p", "127.0.0.1:8080:80",
                "busybox", "-c", "echo hi");
        assertThat(b.path("Image").asText()).isEqualTo("busybox");
        assertThat(b.path("Cmd").toString()).isEqualTo("[\"-c\",\"echo hi\"]");
        assertThat(b.path("Entrypoint").toString()).isEqualTo("[\"/bin/sh\"]");
        assertThat(b.path("Env").toString()).isEqualTo("[\"FROM_FILE=1\",\"FROM_HOST=yes\",\"A=1\",\"FROM_HOST=yes\"]");
        assertThat(b.path("WorkingDir").asText()).isEqualTo("/srv");
        assertThat(b.path("User").asText()).isEqualTo("1000:1000");
        assertThat(b.path("Hostname").asText()).isEqualTo("box");
        assertThat(b.path("Labels").toString()).isEqualTo("{\"team\":\"core\",\"a\":\"b\",\"flag\":\"\"}");
        assertThat(b.path("Tty").asBoolean()).isTrue();
        assertThat(b.path("OpenStdin").asBoolean()).isTrue();
        assertThat(b.path("StdinOnce").asBoolean()).isTrue();
        assertThat(b.path("AttachStdin").asBoolean()).isTrue();
        assertThat(b.path("AttachStdout").asBoolean()).isTrue();
        assertThat(b.path("AttachStderr").asBoolean()).isTrue();
        assertThat(b.path("StopSignal").asText()).isEqualTo("SIGINT");
        assertThat(b.path("StopTimeout").asInt()).isEqualTo(20);
        assertThat(b.path("ExposedPorts").has("80/tcp")).isTrue();
        JsonNode h = b.path("HostConfig");
        assertThat(h.path("AutoRemove").asBoolean()).isFalse();
        assertThat(h.path("Init").asBoolean()).isTrue();
        assertThat(h.path("ReadonlyRootfs").asBoolean()).isTrue();
        assertThat(h.path("Tmpfs").toString()).isEqualTo("{\"/run\":\"rw,size=64m\",\"/tmp\":\"\"}");
        assertThat(h.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
        assertThat(h.path("Memory").asLong()).isEqualTo(512L * 1024 * 1024);
        assertThat(h.path("MemorySwap").asLong()).isEqualTo(1024L * 1024 * 1024);
        assertThat(h.path("NanoCpus").asLong()).isEqualTo(1_500_000_000L);
        assertThat(h.path("CpuShares").asLong()).isEqualTo(512);
        assertThat(h.path("PidsLimit").asLong()).isEqualTo(100);
        assertThat(h.path("CapAdd").toString()).isEqualTo("[\"CAP_NET_ADMIN\"]");
        assertThat(h.path("CapDrop").toString()).isEqualTo("[\"CAP_MKNOD\"]");
        assertThat(h.path("Privileged").asBoolean()).isTrue();
        assertThat(h.path("SecurityOpt").toString()).isEqualTo("[\"no-new-privileges\"]");
        assertThat(h.path("NetworkMode").asText()).isEqualTo("host");
        assertThat(h.path("Binds").toString()).isEqualTo("[\"/data:/data:ro\"]");
        assertThat(b.path("Volumes").toString()).isEqualTo("{\"/anon\":{}}");
        assertThat(h.path("PortBindings").toString()).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"8080\"}]}");
    }

    @Test
    void defaults_matchDocker() throws Exception {
        JsonNode b = body("create", "busybox");
        assertThat(b.path("Cmd").isNull()).isTrue();
        assertThat(b.path("Entrypoint").isNull()).isTrue();
        assertThat(b.path("OpenStdin").asBoolean()).isFalse();
        assertThat(b.path("AttachStdin").asBoolean()).isFalse();
        assertThat(b.path("AttachStdout").asBoolean()).isTrue();
        assertThat(b.path("HostConfig").path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"no\",\"MaximumRetryCount\":0}");
        assertThat(b.path("HostConfig").path("NetworkMode").asText()).isEqualTo("default");
        assertThat(b.path("HostConfig").path("PidsLimit").asLong()).isZero();
        assertThat(b.path("Env").isNull()).isTrue();
        assertThat(b.path("HostConfig").path("MemorySwappiness").asInt()).isEqualTo(-1);
        assertThat(b.path("NetworkingConfig").path("EndpointsConfig").has("default")).isTrue();
    }

    @Test
    void emptyEntrypointResets_andFlagsAfterImageGoToTheCommand() throws Exception {
        JsonNode b = body("create", "--entrypoint", "", "busybox", "ls", "-la", "--name", "x");
        assertThat(b.path("Entrypoint").toString()).isEqualTo("[\"\"]");
        assertThat(b.path("Cmd").toString()).isEqualTo("[\"ls\",\"-la\",\"--name\",\"x\"]");
    }

    @Test
    void runRm_setsAutoRemove_andConflictsWithRestart() throws Exception {
        FakeApiClient api = new FakeApiClient()
                .on("POST /containers/create*", "{\"Id\":\"" + ID + "\"}")
                .on("POST /containers/" + ID + "/start", 204, "");
        CliHarness.Result r = CliHarness.run(api, "run", "-d", "--rm", "busybox");
        assertThat(r.exit()).isZero();
        assertThat(api.request("POST", "/containers/create").json().path("HostConfig").path("AutoRemove").asBoolean()).isTrue();
        CliHarness.Result conflict = CliHarness.run(new FakeApiClient(), "run", "--rm", "--restart", "always", "busybox");
        assertThat(conflict.exit()).isEqualTo(125);
        assertThat(conflict.err()).contains("conflicting options: cannot specify both --restart and --rm");
    }

    @Test
    void badMemory_isAFlagError125() {
        CliHarness.Result r = CliHarness.run(new FakeApiClient(), "run", "-m", "lots", "busybox");
        assertThat(r.exit()).isEqualTo(125);
        assertThat(r.err()).isEqualTo("invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'\n\n"
                + "Usage:  skiff run [OPTIONS] IMAGE [COMMAND] [ARG...]\n\nRun 'skiff run --help' for more information\n");
    }
}

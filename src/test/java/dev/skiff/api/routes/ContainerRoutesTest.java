package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.Router;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineFixture;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.NotModifiedException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerRoutesTest {
    @TempDir
    Path tmp;
    EngineFixture f;
    FakeHttp http;

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(tmp);
        Router router = new Router();
        new ContainerRoutes(new Engine(f.service)).register(router);
        http = new FakeHttp(router);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private String create(String name) throws Exception {
        FakeHttp.Response r = http.call("POST", "/containers/create?name=" + name, "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"true\"]}");
        assertThat(r.status).isEqualTo(201);
        assertThat(r.json().get("Warnings").isArray()).isTrue();
        return r.json().get("Id").asText();
    }

    @Test
    void create_withAnotherPlatformThanTheLocalImages_is404_soTheCliPullsThatPlatform() throws Exception {
        String body = "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}";
        assertThatThrownBy(() -> http.call("POST", "/containers/create?platform=linux/arm64", body))
                .isInstanceOf(NotFoundException.class)
                .hasMessage("image with reference busybox was found but does not match the specified platform: wanted"
                        + " linux/arm64, actual: linux/amd64");
        assertThat(http.call("POST", "/containers/create?platform=linux/amd64", body).status).isEqualTo(201);
        assertThat(http.call("POST", "/containers/create?platform=linux%2Fx86_64", body).status).isEqualTo(201);
        assertThat(http.call("POST", "/containers/create?platform=linux%2Famd64%2Fv3", body).status).isEqualTo(201);
        assertThat(ContainerLifecycleRoutes.samePlatform("linux/arm/v6", "linux/arm/v7")).isFalse();
    }

    @Test
    void createInspectList() throws Exception {
        String id = create("web");
        JsonNode insp = http.call("GET", "/containers/web/json").json();
        assertThat(insp.get("Id").asText()).isEqualTo(id);
        assertThat(insp.get("Name").asText()).isEqualTo("/web");
        assertThat(insp.get("Path").asText()).isEqualTo("sh");
        assertThat(insp.get("Args").toString()).isEqualTo("[\"-c\",\"true\"]");
        assertThat(insp.get("State").get("Status").asText()).isEqualTo("created");
        assertThat(insp.get("State").get("StartedAt").asText()).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(insp.get("GraphDriver").get("Name").asText()).isEqualTo("overlay2");
        assertThat(insp.get("HostConfig").get("RestartPolicy").get("Name").asText()).isEqualTo("no");
        // as dockerd shows them: the defaults the container gets, unset limits as null
        assertThat(insp.get("HostConfig").get("MaskedPaths").toString()).contains("/proc/kcore");
        assertThat(insp.get("HostConfig").get("ReadonlyPaths").toString()).contains("/proc/sys");
        assertThat(insp.get("HostConfig").get("PidsLimit").isNull()).isTrue();
        assertThat(insp.get("HostConfig").get("MemorySwappiness").isNull()).isTrue();
        assertThat(insp.get("Config").has("Volumes")).isTrue();
        assertThat(insp.get("Config").get("Image").asText()).isEqualTo("busybox");
        assertThat(insp.get("NetworkSettings").get("Networks").has("bridge")).isTrue();

        assertThat(http.call("GET", "/containers/json").json()).isEmpty();
        JsonNode all = http.call("GET", "/containers/json?all=1").json();
        assertThat(all).hasSize(1);
        assertThat(all.get(0).get("Names").get(0).asText()).isEqualTo("/web");
        assertThat(all.get(0).get("Status").asText()).isEqualTo("Created");
        assertThat(all.get(0).get("Command").asText()).isEqualTo("sh -c true");
        http.call("POST", "/containers/create?name=spaced", "{\"Image\":\"busybox\",\"Cmd\":[\"sh\",\"-c\",\"echo a; sleep 1\"]}");
        assertThat(http.call("GET", "/containers/json?all=1&filters=" + java.net.URLEncoder.encode("{\"name\":[\"spaced\"]}",
                java.nio.charset.StandardCharsets.UTF_8)).json().get(0).get("Command").asText())
                .isEqualTo("sh -c 'echo a; sleep 1'"); // dockerd quotes an argument with a space
        http.call("DELETE", "/containers/spaced");

        http.call("POST", "/containers/web/start");
        JsonNode running = http.call("GET", "/containers/json?filters=" + enc("{\"status\":[\"running\"]}")).json();
        assertThat(running.get(0).get("Status").asText()).startsWith("Up ");
        assertThat(http.call("GET", "/containers/json?filters=" + enc("{\"name\":[\"nope\"]}")).json()).isEmpty();
        assertThatThrownBy(() -> http.call("GET", "/containers/nope/json")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such container: nope");
    }

    @Test
    void lifecycleStatusCodes() throws Exception {
        String id = create("lc");
        assertThat(http.call("POST", "/containers/lc/start").status).isEqualTo(204);
        assertThatThrownBy(() -> http.call("POST", "/containers/lc/start")).isInstanceOf(NotModifiedException.class);
        assertThat(http.call("POST", "/containers/lc/pause").status).isEqualTo(204);
        assertThat(http.call("POST", "/containers/lc/unpause").status).isEqualTo(204);
        assertThat(http.call("POST", "/containers/lc/kill?signal=SIGKILL").status).isEqualTo(204);
        waitStatus(id, "exited");
        assertThatThrownBy(() -> http.call("POST", "/containers/lc/kill")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> http.call("POST", "/containers/lc/stop")).isInstanceOf(NotModifiedException.class);
        assertThat(http.call("POST", "/containers/lc/rename?name=lc2").status).isEqualTo(204);
        assertThat(http.call("DELETE", "/containers/lc2").status).isEqualTo(204);
        assertThat(f.store.find(id)).isEmpty();
    }

    @Test
    void wait_answersHeadersBeforeTheExit() throws Exception {
        String id = create("wt");
        FakeHttp.Response[] holder = new FakeHttp.Response[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                holder[0] = http.call("POST", "/containers/wt/wait?condition=next-exit");
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(200);
        http.call("POST", "/containers/wt/start");
        f.runtime.exit(id, 42);
        t.join(5000);
        assertThat(holder[0].json().get("StatusCode").asInt()).isEqualTo(42);
        assertThat(holder[0].json().get("Error").isNull()).isTrue();
    }

    @Test
    void logs_framedWithTail() throws Exception {
        String id = create("lg");
        Path log = Path.of(f.service.get(id).logPath());
        Files.writeString(log, "2026-11-23T15:22:01.000000001+00:00 stdout F a\n"
                + "2026-11-23T15:22:01.000000001+00:00 stderr F b\n"
                + "2026-11-23T15:22:01.000000001+00:00 stdout F c\n");
        FakeHttp.Response r = http.call("GET", "/containers/lg/logs?stdout=1&stderr=1&tail=2");
        assertThat(r.contentType).isEqualTo("application/vnd.docker.multiplexed-stream");
        byte[] b = r.body.toByteArray();
        assertThat(b).hasSize(8 + 2 + 8 + 2);
        assertThat(b[0]).isEqualTo((byte) 2);
        assertThat(b[10]).isEqualTo((byte) 1);
        assertThatThrownBy(() -> http.call("GET", "/containers/lg/logs")).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void archive_roundTripAndPathSafety() throws Exception {
        String id = create("ar");
        Path root = f.snapshotter.upperDir(id);
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hosts"), "127.0.0.1 x\n");
        Files.createSymbolicLink(root.resolve("link"), Path.of("/etc"));

        FakeHttp.Response head = http.call("HEAD", "/containers/ar/archive?path=/link/hosts");
        JsonNode stat = dev.skiff.sys.Json.MAPPER.readTree(Base64.getDecoder().decode(head.headers.get("X-Docker-Container-Path-Stat")));
        assertThat(stat.get("name").asText()).isEqualTo("hosts");
        assertThat(stat.get("size").asLong()).isEqualTo(12);

        JsonNode dirStat = dev.skiff.sys.Json.MAPPER.readTree(Base64.getDecoder().decode(
                http.call("HEAD", "/containers/ar/archive?path=/etc").headers.get("X-Docker-Container-Path-Stat")));
        assertThat(dirStat.get("mode").asLong() & (1L << 31)).isNotZero();

        FakeHttp.Response get = http.call("GET", "/containers/ar/archive?path=/etc");
        try (TarArchiveInputStream in = new TarArchiveInputStream(new java.io.ByteArrayInputStream(get.body.toByteArray()))) {
            assertThat(in.getNextEntry().getName()).isEqualTo("etc/");
            assertThat(in.getNextEntry().getName()).isEqualTo("etc/hosts");
        }

        // a tar that writes through the container's symlink stays inside the rootfs
        byte[] tar = tar("link/evil", "x");
        assertThat(http.call("PUT", "/containers/ar/archive?path=/", tar).status).isEqualTo(200);
        assertThat(root.resolve("etc/evil")).hasContent("x");
        assertThatThrownBy(() -> http.call("PUT", "/containers/ar/archive?path=/", tar("../../escape", "x")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(tmp.resolve("escape")).doesNotExist();
        assertThatThrownBy(() -> http.call("PUT", "/containers/ar/archive?path=/etc/hosts", tar("a", "x")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not a directory");
        assertThatThrownBy(() -> http.call("PUT", "/containers/ar/archive?path=/&noOverwriteDirNonDir=1", tar("etc", "x")))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> http.call("HEAD", "/containers/ar/archive?path=/nope")).isInstanceOf(NotFoundException.class)
                .hasMessage("Could not find the file /nope in container ar");
        long now = System.currentTimeMillis() / 1000 + 1;
        String events = http.call("GET", "/events?since=0&until=" + now + "&filters="
                + enc("{\"event\":[\"extract-to-dir\",\"archive-path\"]}")).text();
        assertThat(events).contains("\"Action\":\"extract-to-dir\"").contains("\"Action\":\"archive-path\""); // as dockerd
    }

    @Test
    void events_replayWithUntil() throws Exception {
        create("ev");
        long now = System.currentTimeMillis() / 1000 + 1;
        FakeHttp.Response r = http.call("GET", "/events?since=0&until=" + now + "&filters=" + enc("{\"type\":[\"container\"]}"));
        String[] lines = r.text().split("\n");
        JsonNode e = dev.skiff.sys.Json.MAPPER.readTree(lines[0]);
        assertThat(e.get("Type").asText()).isEqualTo("container");
        assertThat(e.get("Action").asText()).isEqualTo("create");
        assertThat(e.get("status").asText()).isEqualTo("create");
        assertThat(e.get("Actor").get("Attributes").get("name").asText()).isEqualTo("ev");
        assertThat(e.get("scope").asText()).isEqualTo("local");
        assertThatThrownBy(() -> http.call("GET", "/events?since=20&until=10")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("`since` time (20) cannot be after `until` time (10)");
    }

    @Test
    void commit_usesUpperDirAndChanges() throws Exception {
        String id = create("cm");
        FakeHttp.Response r = http.call("POST", "/commit?container=cm&repo=me/img&tag=v1&changes=" + enc("ENV X=1")
                + "&changes=" + enc("CMD [\"echo\",\"hi\"]"));
        assertThat(r.status).isEqualTo(201);
        var req = f.images.commits.get(0);
        assertThat(req.reference()).isEqualTo("me/img:v1");
        assertThat(req.diffDir()).isEqualTo(f.snapshotter.upperDir(id));
        assertThat(req.config().env()).contains("X=1");
        assertThat(req.config().cmd()).containsExactly("echo", "hi");
    }

    @Test
    void prune_removesStopped() throws Exception {
        String keep = create("keep");
        String gone = create("gone");
        http.call("POST", "/containers/keep/start");
        JsonNode r = http.call("POST", "/containers/prune").json();
        assertThat(r.get("ContainersDeleted").get(0).asText()).isEqualTo(gone);
        assertThat(f.store.find(keep)).isPresent();
    }

    @Test
    void statsAndChanges() throws Exception {
        String id = create("st");
        http.call("POST", "/containers/st/start");
        JsonNode st = http.call("GET", "/containers/st/stats?stream=0&one-shot=1").json();
        assertThat(st.get("name").asText()).isEqualTo("/st");
        assertThat(st.get("id").asText()).isEqualTo(id);
        assertThat(st.get("cpu_stats").get("cpu_usage").get("total_usage").asLong()).isEqualTo(1_000_000);
        assertThat(st.get("cpu_stats").get("online_cpus").asInt()).isEqualTo(2);
        assertThat(st.get("memory_stats").get("usage").asLong()).isEqualTo(4096);
        assertThat(st.get("pids_stats").get("current").asLong()).isEqualTo(1);
        assertThat(st.get("precpu_stats").get("cpu_usage").get("total_usage").asLong()).isZero();

        Files.writeString(f.snapshotter.upperDir(id).resolve("new.txt"), "x");
        JsonNode changes = http.call("GET", "/containers/st/changes").json();
        assertThat(changes.get(0).get("Path").asText()).isEqualTo("/new.txt");
        assertThat(changes.get(0).get("Kind").asInt()).isEqualTo(1);
    }

    @Test
    void updateAndResize() throws Exception {
        create("up");
        JsonNode r = http.call("POST", "/containers/up/update", "{\"Memory\":104857600,\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}}").json();
        assertThat(r.get("Warnings").isArray()).isTrue();
        JsonNode hc = http.call("GET", "/containers/up/json").json().get("HostConfig");
        assertThat(hc.get("Memory").asLong()).isEqualTo(104857600);
        assertThat(hc.get("RestartPolicy").get("MaximumRetryCount").asInt()).isEqualTo(3);
        assertThat(hc.get("ShmSize").asLong()).isEqualTo(67108864);
        assertThatThrownBy(() -> http.call("POST", "/containers/up/update", "{\"Memory\":1000}"))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> http.call("POST", "/containers/up/resize?h=10&w=80")).isInstanceOf(ConflictException.class);
    }

    private void waitStatus(String id, String status) throws InterruptedException {
        for (int i = 0; i < 250 && !f.service.get(id).state().status().equals(status); i++) {
            Thread.sleep(20);
        }
        assertThat(f.service.get(id).state().status()).isEqualTo(status);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] tar(String name, String content) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            byte[] data = content.getBytes(StandardCharsets.UTF_8);
            e.setSize(data.length);
            out.putArchiveEntry(e);
            out.write(data);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}

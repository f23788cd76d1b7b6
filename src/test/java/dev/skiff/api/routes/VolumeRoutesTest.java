package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.skiff.api.http.Router;
import dev.skiff.engine.EventBus;
import dev.skiff.engine.volume.ContainerVolumes;
import dev.skiff.engine.volume.LocalVolumeDriver;
import dev.skiff.engine.volume.VolumeService;
import dev.skiff.engine.volume.VolumeStore;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.sys.Json;
import dev.skiff.sys.Sqlite;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /volumes over a real service, store and local driver (plain directories: no mount needed). */
class VolumeRoutesTest {
    @TempDir
    Path dir;
    Sqlite db;
    VolumeService volumes;
    ContainerVolumes mounts;
    EventBus events = new EventBus();
    Router router = new Router();

    @BeforeEach
    void setUp() throws Exception {
        db = Sqlite.open(dir.resolve("skiff.db"));
        volumes = new VolumeService(new VolumeStore(db), List.of(new LocalVolumeDriver(dir.resolve("volumes"))), events);
        mounts = new ContainerVolumes(volumes, id -> id, () -> Set.of("c1"), null);
        new VolumeRoutes(volumes).register(router);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private JsonNode call(String method, String path, String body) throws Exception {
        FakeHttp.Response r = FakeHttp.call(router, method, path, body == null ? null : body.getBytes(StandardCharsets.UTF_8));
        byte[] b = r.body.toByteArray();
        return b.length == 0 ? JsonNodeFactory.instance.numberNode(r.status) : Json.MAPPER.readTree(b);
    }

    @Test
    void create_inspect_list_remove_inDockersShape() throws Exception {
        JsonNode v = call("POST", "/volumes/create", "{\"Name\":\"data\",\"Labels\":{\"a\":\"b\"}}");
        assertThat(Json.MAPPER.writeValueAsString(v)).matches("\\{\"CreatedAt\":\"[0-9T:-]+Z\",\"Driver\":\"local\",\"Labels\":\\{\"a\":\"b\"},"
                + "\"Mountpoint\":\".*/volumes/data/_data\",\"Name\":\"data\",\"Options\":null,\"Scope\":\"local\"}");
        JsonNode plain = call("POST", "/volumes/create", "{\"Name\":\"plain\",\"Labels\":{},\"DriverOpts\":{}}");
        assertThat(plain.get("Labels").isNull()).isTrue(); // null when empty, as dockerd's
        assertThat(plain.get("Options").isNull()).isTrue();
        assertThat(call("GET", "/volumes/data", null).path("Labels").path("a").asText()).isEqualTo("b");
        assertThat(call("POST", "/volumes/create", "{}").path("Name").asText()).matches("[0-9a-f]{64}");
        assertThat(call("GET", "/volumes?filters=" + enc("{\"label\":[\"a=b\"]}"), null).path("Volumes")).hasSize(1);
        assertThat(call("DELETE", "/volumes/data", null).asInt()).isEqualTo(204);
        assertThatThrownBy(() -> call("GET", "/volumes/data", null)).isInstanceOf(NotFoundException.class)
                .hasMessage("get data: no such volume");
        assertThat(call("DELETE", "/volumes/data?force=1", null).asInt()).isEqualTo(204);
        assertThat(events.recent().stream().map(e -> e.type() + ":" + e.action()).toList())
                .containsSubsequence("volume:create", "volume:create", "volume:destroy");
    }

    @Test
    void inUse_refusedEvenWithForce_thenPruneKeepsNamedUnlessAll() throws Exception {
        var config = Json.MAPPER.createObjectNode();
        config.putObject("Volumes").putObject("/anon");
        var host = Json.MAPPER.createObjectNode();
        host.putArray("Binds").add("used:/u");
        mounts.create("c1", config, host);
        assertThatThrownBy(() -> call("DELETE", "/volumes/used?force=true", null)).isInstanceOf(ConflictException.class)
                .hasMessage("remove used: volume is in use - [c1]");
        call("POST", "/volumes/create", "{\"Name\":\"idle\"}");
        assertThat(call("POST", "/volumes/prune", null).path("VolumesDeleted")).isEmpty();
        mounts.remove("c1", false);
        JsonNode pruned = call("POST", "/volumes/prune", null);
        assertThat(pruned.path("VolumesDeleted")).hasSize(1);
        assertThat(pruned.path("VolumesDeleted").get(0).asText()).matches("[0-9a-f]{64}");
        assertThat(call("POST", "/volumes/prune?filters=" + enc("{\"all\":[\"true\"],\"label!\":[\"keep\"]}"), null)
                .path("VolumesDeleted").toString()).isEqualTo("[\"idle\",\"used\"]");
        assertThatThrownBy(() -> call("POST", "/volumes/prune?filters=" + enc("{\"until\":[\"1h\"]}"), null))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid filter 'until'");
    }

    @Test
    void failedContainerCreate_leavesNoVolumeBehind() throws Exception {
        var host = Json.MAPPER.createObjectNode();
        host.putArray("Binds").add("first:/a").add("second:/a");
        assertThatThrownBy(() -> mounts.create("c1", Json.MAPPER.createObjectNode(), host))
                .hasMessage("Duplicate mount point: /a");
        assertThat(call("GET", "/volumes", null).path("Volumes")).isEmpty();
        assertThat(dir.resolve("volumes/first")).doesNotExist();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

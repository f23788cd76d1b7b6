package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.Router;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.image.LocalImageService;
import dev.skiff.sys.Sqlite;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image routes over a real image store in a temp dir (root needed to unpack layers). */
class ImageRoutesTest {
    @TempDir
    Path root;
    private Sqlite db;
    private final Router router = new Router();
    private final Set<String> inUse = new HashSet<>();

    @BeforeEach
    void setUp() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        try {
            db = Sqlite.open(root.resolve("skiff.db"));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        new ImageRoutes(LocalImageService.open(root, db), dev.skiff.image.TestUsers.stopped(inUse::contains)).register(router);
    }

    @AfterEach
    void tearDown() {
        if (db != null) {
            db.close();
        }
    }

    private FakeHttp.Response call(String method, String path) throws Exception {
        return FakeHttp.call(router, method, path, null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static byte[] rootfs(String file) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry e = new TarArchiveEntry(file);
            e.setSize(file.length());
            e.setModTime(Date.from(Instant.parse("2024-01-01T00:00:00Z")));
            tar.putArchiveEntry(e);
            tar.write(file.getBytes(StandardCharsets.UTF_8));
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private String importImage(String repo, String tag, String file) throws Exception {
        FakeHttp.Response r = FakeHttp.call(router, "POST", "/images/create?fromSrc=-&repo=" + repo + "&tag=" + tag
                + "&changes=" + enc("CMD [\"/bin/sh\"]") + "&changes=" + enc("LABEL app=web"), rootfs(file));
        assertThat(r.status).isEqualTo(200);
        assertThat(r.contentType).isEqualTo("application/json");
        List<JsonNode> messages = r.messages();
        String id = messages.getLast().get("status").asText();
        assertThat(id).startsWith("sha256:").hasSize(71);
        return id;
    }

    @Test
    void importThenListInspectHistory() throws Exception {
        String id = importImage("busybox", "1", "hello");

        JsonNode list = call("GET", "/images/json").json();
        assertThat(list).hasSize(1);
        JsonNode summary = list.get(0);
        assertThat(summary.get("Id").asText()).isEqualTo(id);
        assertThat(summary.get("RepoTags").get(0).asText()).isEqualTo("busybox:1");
        assertThat(summary.get("Created").isNumber()).isTrue();
        assertThat(summary.get("SharedSize").asInt()).isEqualTo(-1);
        assertThat(summary.get("Containers").asInt()).isEqualTo(-1);
        assertThat(summary.get("Labels").get("app").asText()).isEqualTo("web");
        assertThat(summary.get("Size").asLong()).isEqualTo(5);

        JsonNode inspect = call("GET", "/images/busybox:1/json").json();
        assertThat(inspect.get("Id").asText()).isEqualTo(id);
        assertThat(inspect.get("Config").get("Cmd").get(0).asText()).isEqualTo("/bin/sh");
        assertThat(inspect.get("RootFS").get("Layers")).hasSize(1);
        assertThat(inspect.get("GraphDriver").get("Name").asText()).isEqualTo("overlay2");
        assertThat(inspect.get("GraphDriver").get("Data").get("UpperDir").asText()).endsWith("/diff");
        assertThat(inspect.get("Created").asText()).endsWith("Z");
        assertThat(inspect.get("Os").asText()).isEqualTo("linux");
        assertThat(call("GET", "/images/" + id.substring(7, 19) + "/json").json().get("Id").asText()).isEqualTo(id);

        JsonNode history = call("GET", "/images/busybox:1/history").json();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("Id").asText()).isEqualTo(id);
        assertThat(history.get(0).get("Comment").asText()).isEqualTo("Imported from -");
        assertThat(history.get(0).get("Tags").get(0).asText()).isEqualTo("busybox:1");

        assertThatThrownBy(() -> call("GET", "/images/nope/json")).isInstanceOf(NotFoundException.class)
                .hasMessage("No such image: nope:latest");
    }

    @Test
    void virtualSize_isSentToClientsOfApiVersionsBefore144_only() throws Exception {
        importImage("busybox", "1", "hello");

        JsonNode old = call("GET", "/v1.43/images/json").json().get(0);
        assertThat(old.get("VirtualSize").asLong()).isEqualTo(old.get("Size").asLong()).isPositive();
        JsonNode oldInspect = call("GET", "/v1.41/images/busybox:1/json").json();
        assertThat(oldInspect.get("VirtualSize").asLong()).isEqualTo(oldInspect.get("Size").asLong());

        assertThat(call("GET", "/v1.44/images/json").json().get(0).has("VirtualSize")).isFalse();
        assertThat(call("GET", "/images/busybox:1/json").json().has("VirtualSize")).isFalse();
    }

    @Test
    void containerConfig_isSentToClientsOfApiVersionsBefore145_only_asDockerComposeV1ReadsIt() throws Exception {
        importImage("busybox", "1", "hello");

        JsonNode old = call("GET", "/v1.41/images/busybox:1/json").json();
        assertThat(old.get("Container").asText()).isEmpty();
        assertThat(old.get("ContainerConfig").isObject()).isTrue(); // compose 1.29 reads ContainerConfig.Volumes
        assertThat(old.get("ContainerConfig")).isEqualTo(old.get("Config"));
        JsonNode current = call("GET", "/v1.45/images/busybox:1/json").json();
        assertThat(current.has("ContainerConfig")).isFalse();
        assertThat(current.has("Container")).isFalse();
    }

    @Test
    void listFilters() throws Exception {
        importImage("web", "1", "a");
        importImage("", "", "b");
        assertThat(call("GET", "/images/json?filters=" + enc("{\"dangling\":[\"true\"]}")).json()).hasSize(1)
                .allSatisfy(i -> assertThat(i.get("RepoTags")).isEmpty());
        assertThat(call("GET", "/images/json?filters=" + enc("{\"reference\":{\"we*\":true}}")).json()).hasSize(1);
        call("POST", "/images/web:1/tag?repo=other");
        JsonNode onlyWeb = call("GET", "/images/json?filters=" + enc("{\"reference\":[\"we*\"]}")).json();
        assertThat(onlyWeb.get(0).get("RepoTags")).extracting(JsonNode::asText).containsExactly("web:1");
        assertThat(call("GET", "/images/json?filters=" + enc("{\"label\":[\"app=web\"]}")).json()).hasSize(2);
        assertThat(call("GET", "/images/json?filters=" + enc("{\"label\":[\"app=db\"]}")).json()).isEmpty();
        assertThatThrownBy(() -> call("GET", "/images/json?filters=" + enc("{\"bogus\":[\"x\"]}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid filter 'bogus'");
    }

    @Test
    void tagRemoveAndPrune() throws Exception {
        String id = importImage("web", "1", "a");
        assertThat(call("POST", "/images/web:1/tag?repo=" + enc("localhost:5000/web") + "&tag=2").status).isEqualTo(201);
        assertThat(call("GET", "/images/localhost:5000/web:2/json").json().get("RepoTags"))
                .extracting(JsonNode::asText).containsExactlyInAnyOrder("web:1", "localhost:5000/web:2");

        inUse.add(id);
        assertThatThrownBy(() -> call("DELETE", "/images/" + id)).isInstanceOf(ConflictException.class);
        JsonNode untag = call("DELETE", "/images/localhost:5000/web:2").json();
        assertThat(untag.get(0).get("Untagged").asText()).isEqualTo("localhost:5000/web:2");
        inUse.clear();

        JsonNode removed = call("DELETE", "/images/web:1").json();
        assertThat(removed.get(0).get("Untagged").asText()).isEqualTo("web:1");
        assertThat(removed.get(1).get("Deleted").asText()).isEqualTo(id);

        String dangling = importImage("", "", "b");
        JsonNode pruned = call("POST", "/images/prune").json();
        assertThat(pruned.get("ImagesDeleted").get(0).get("Deleted").asText()).isEqualTo(dangling);
        assertThat(pruned.get("SpaceReclaimed").asLong()).isEqualTo(1);
        assertThat(call("POST", "/images/prune?filters=" + enc("{\"dangling\":[\"false\"]}")).json()
                .get("ImagesDeleted").isNull()).isTrue();
    }

    @Test
    void saveThenLoad_reportsLoadedTags() throws Exception {
        String id = importImage("web", "1", "a");
        FakeHttp.Response saved = call("GET", "/images/get?names=web:1");
        assertThat(saved.status).isEqualTo(200);
        assertThat(saved.contentType).isEqualTo("application/x-tar");
        byte[] archive = saved.body.toByteArray();
        assertThat(call("GET", "/images/web:1/get").body.toByteArray()).isEqualTo(archive);
        assertThatThrownBy(() -> call("GET", "/images/get?names=missing")).isInstanceOf(NotFoundException.class);

        call("DELETE", "/images/web:1");
        FakeHttp.Response loaded = FakeHttp.call(router, "POST", "/images/load?quiet=1", archive);
        assertThat(loaded.messages()).extracting(m -> m.get("stream").asText()).containsExactly("Loaded image: web:1\n");
        assertThat(call("GET", "/images/web:1/json").json().get("Id").asText()).isEqualTo(id);

        // the name on another image meanwhile: dockerd's line saying it moves, quiet or not
        String other = importImage("web", "1", "b");
        FakeHttp.Response moved = FakeHttp.call(router, "POST", "/images/load?quiet=1", archive);
        assertThat(moved.messages()).extracting(m -> m.get("stream").asText()).containsExactly(
                "The image web:1 already exists, renaming the old one with ID " + other + " to empty string\n",
                "Loaded image: web:1\n");
        assertThat(FakeHttp.call(router, "POST", "/images/load?quiet=1", archive).messages())
                .extracting(m -> m.get("stream").asText()).containsExactly("Loaded image: web:1\n");

        // nothing streamed yet: the error is thrown for the server to map to a status
        assertThatThrownBy(() -> FakeHttp.call(router, "POST", "/images/load", "garbage".getBytes()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("not a tar");
    }

    @Test
    void create_pullAndBadInputs_areClearErrors() {
        assertThatThrownBy(() -> call("POST", "/images/create?fromImage=busybox&tag=latest"))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("serves no registry client");
        assertThatThrownBy(() -> call("POST", "/images/create?fromSrc=http://example.com/x.tar"))
                .isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> FakeHttp.call(router, "POST", "/images/create?fromSrc=-&repo=Bad", new byte[0]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("must be lowercase");
    }
}

package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.api.http.Router;
import dev.skiff.engine.Engine;
import dev.skiff.engine.EngineFixture;
import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GET /system/df's type parameter: only the kinds asked for are counted, the others are null, as dockerd's. */
class DiskUsageRoutesTest {
    @TempDir
    Path tmp;
    EngineFixture f;
    FakeHttp http;

    @BeforeEach
    void setUp() throws Exception {
        f = new EngineFixture(tmp);
        Router router = new Router();
        new DiskUsageRoutes(new Engine(f.service), f.images).withBuildCache(() -> List.of("a record")).register(router);
        new ContainerRoutes(new Engine(f.service)).register(router);
        http = new FakeHttp(router);
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    @Test
    void typesAskedFor_areCounted_andTheOthersAreNull() throws Exception {
        http.call("POST", "/containers/create?name=df1", "{\"Image\":\"busybox\",\"Cmd\":[\"true\"]}");
        JsonNode containers = http.call("GET", "/system/df?type=container").json();
        assertThat(containers.get("Containers")).hasSize(1);
        assertThat(containers.get("Images").isNull()).isTrue();
        assertThat(containers.get("Volumes").isNull()).isTrue();
        assertThat(containers.get("BuildCache").isNull()).isTrue();
        assertThat(containers.get("LayersSize").asLong()).isZero();

        JsonNode two = http.call("GET", "/system/df?type=build-cache&type=volume").json();
        assertThat(two.get("BuildCache").get(0).asText()).isEqualTo("a record");
        assertThat(two.get("Volumes").isArray()).isTrue();
        assertThat(two.get("Containers").isNull()).isTrue();

        assertThat(DiskUsageRoutes.ALL).containsExactlyInAnyOrder("container", "image", "volume", "build-cache");
        assertThatThrownBy(() -> http.call("GET", "/system/df?type=network")).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("unknown object type: network");
    }
}

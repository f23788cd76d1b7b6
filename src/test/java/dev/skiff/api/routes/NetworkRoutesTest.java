package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.api.http.Router;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.InvalidArgumentException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** POST /networks/create refuses, before anything is made, what dockerd 20.10 refuses outside swarm mode (its words). */
class NetworkRoutesTest {
    private final Router router = new Router();

    NetworkRoutesTest() {
        new NetworkRoutes(null).register(router); // the refusals come before the service is asked
    }

    private void create(String body) throws Exception {
        FakeHttp.call(router, "POST", "/networks/create", body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void swarmNetworks_areRefusedAsDockerdRefusesThem() {
        assertThatThrownBy(() -> create("{\"Name\":\"n\",\"Ingress\":true}")).isInstanceOf(ForbiddenException.class)
                .hasMessage("Ingress network can only be global scope network");
        assertThatThrownBy(() -> create("{\"Name\":\"n\",\"Scope\":\"swarm\"}")).isInstanceOf(ForbiddenException.class)
                .hasMessage("cannot create a swarm scoped network when swarm is not active");
        assertThatThrownBy(() -> create("{\"Name\":\"n\",\"Scope\":\"global\"}")).isInstanceOf(ForbiddenException.class)
                .hasMessageStartingWith("This node is not a swarm manager.");
    }

    @Test
    void configurationOnlyNetworks_areRefusedNotMadeAsBridges() {
        assertThatThrownBy(() -> create("{\"Name\":\"n\",\"ConfigOnly\":true}")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("--config-only");
        assertThatThrownBy(() -> create("{\"Name\":\"n\",\"ConfigFrom\":{\"Network\":\"base\"}}"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("--config-from");
    }
}

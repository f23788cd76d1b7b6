package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** HostConfig.Links as dockerd reads, stores and applies them. */
class LinksTest {
    /** A container named {@code name} (its id: the name's letters, repeated), hostname "h-NAME". */
    private static Container container(String name) throws Exception {
        ObjectNode cfg = hostConfig("{\"Hostname\":\"h-" + name + "\"}");
        String id = (name + "0".repeat(64)).substring(0, 64);
        return new Container(id, "/" + name, Times.now(), "sh", List.of(), cfg, hostConfig("{}"),
                "sha256:x", "x", ContainerState.created(), 0, "/dev/null", 0, false);
    }

    private static ObjectNode hostConfig(String json) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(json);
    }

    @Test
    void parse_takesEveryFormDockerWrites() {
        assertThat(Links.parse("db")).containsExactly("db", "db");
        assertThat(Links.parse("db:database")).containsExactly("db", "database");
        assertThat(Links.parse("/db:/web/database")).containsExactly("db", "database");
        assertThatThrownBy(() -> Links.parse("a:b:c")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> Links.parse("db:bad alias")).hasMessageContaining("invalid link alias");
    }

    @Test
    void normalize_storesDockersForm_andRefusesWhatDockerRefuses() throws Exception {
        Container db = container("db");
        ObjectNode h = hostConfig("{\"Links\":[\"db\",\"db:database\"]}");
        Links.normalize(h, "web", name -> name.equals("db") ? Optional.of(db) : Optional.empty());
        assertThat(h.get("Links").toString()).isEqualTo("[\"/db:/web/db\",\"/db:/web/database\"]");
        assertThatThrownBy(() -> Links.normalize(hostConfig("{\"Links\":[\"nope:x\"]}"), "web", n -> Optional.empty()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("could not get container for nope");
        assertThatThrownBy(() -> Links.normalize(hostConfig("{\"Links\":[\"db\"],\"NetworkMode\":\"host\"}"), "web",
                n -> Optional.of(db))).hasMessageContaining("host type networking can't be used with links");
        assertThatThrownBy(() -> Links.normalize(hostConfig("{\"Links\":[\"db:x\",\"db:X\"]}"), "web",
                n -> Optional.of(db))).hasMessageContaining("already used");
    }

    @Test
    void environment_isDockersLinkVariables() throws Exception {
        Container web = container("web");
        Container db = container("db");
        ((ObjectNode) db.config()).set("ExposedPorts", Json.MAPPER.readTree("{\"5432/tcp\":{},\"53/udp\":{}}"));
        ((ObjectNode) db.config()).set("Env", Json.MAPPER.readTree("[\"PATH=/bin\",\"PGUSER=me\",\"HOME=/root\"]"));
        List<Links.Link> links = List.of(new Links.Link(db.id(), "db", "my-db"));
        Map<String, Container> byId = Map.of(db.id(), db);
        List<String> env = Links.environment(web, links, byId::get, id -> "10.0.0.2");
        assertThat(env).containsExactly("MY_DB_PORT=tcp://10.0.0.2:5432", // TCP first, as dockerd sorts
                "MY_DB_PORT_5432_TCP=tcp://10.0.0.2:5432", "MY_DB_PORT_5432_TCP_ADDR=10.0.0.2",
                "MY_DB_PORT_5432_TCP_PORT=5432", "MY_DB_PORT_5432_TCP_PROTO=tcp",
                "MY_DB_PORT_53_UDP=udp://10.0.0.2:53", "MY_DB_PORT_53_UDP_ADDR=10.0.0.2", "MY_DB_PORT_53_UDP_PORT=53",
                "MY_DB_PORT_53_UDP_PROTO=udp", "MY_DB_NAME=/web/my-db", "MY_DB_ENV_PGUSER=me");
        assertThat(Links.hostEntries(links, byId::get, id -> "10.0.0.2"))
                .containsExactly("my-db " + db.config().path("Hostname").asText() + " db:10.0.0.2");
        assertThat(Links.hostEntries(links, byId::get, id -> "")).isEmpty();
    }

    @Test
    void environment_namesRunsOfConsecutivePorts() throws Exception {
        Container web = container("web");
        Container app = container("app");
        ((ObjectNode) app.config()).set("ExposedPorts", Json.MAPPER.readTree(
                "{\"8002/tcp\":{},\"8000/tcp\":{},\"8001/tcp\":{},\"9000/tcp\":{},\"8003/udp\":{},\"8004/udp\":{}}"));
        List<String> env = Links.environment(web, List.of(new Links.Link(app.id(), "app", "app")),
                Map.of(app.id(), app)::get, id -> "10.0.0.3");
        assertThat(env).first().isEqualTo("APP_PORT=tcp://10.0.0.3:8000");
        assertThat(env).filteredOn(e -> e.contains("START") || e.contains("END")).containsExactly(
                "APP_PORT_8000_TCP_START=tcp://10.0.0.3:8000", "APP_PORT_8000_TCP_PORT_START=8000",
                "APP_PORT_8000_TCP_END=tcp://10.0.0.3:8002", "APP_PORT_8000_TCP_PORT_END=8002",
                "APP_PORT_8003_UDP_START=udp://10.0.0.3:8003", "APP_PORT_8003_UDP_PORT_START=8003",
                "APP_PORT_8003_UDP_END=udp://10.0.0.3:8004", "APP_PORT_8003_UDP_PORT_END=8004");
        // every port keeps its own four variables, in or out of a run
        assertThat(env).filteredOn(e -> e.matches("APP_PORT_\\d+_(TCP|UDP)=.*")).hasSize(6);
        assertThat(env).contains("APP_PORT_9000_TCP_PORT=9000", "APP_NAME=/web/app");
    }
}

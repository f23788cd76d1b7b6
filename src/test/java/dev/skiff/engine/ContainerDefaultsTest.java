package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerDefaultsTest {
    private static final ContainerDefaults DAEMON = new ContainerDefaults(
            List.of(new ContainerDefaults.Ulimit("nofile", 1000, 2000), new ContainerDefaults.Ulimit("nproc", 50, 50)),
            96L << 20, true, true, "shareable", "private");

    private static JsonNode applied(String hostConfig) throws Exception {
        return DAEMON.applyTo(hostConfig == null ? null : Json.MAPPER.readTree(hostConfig));
    }

    @Test
    void aContainerThatSaysNothing_getsEveryDefault() throws Exception {
        JsonNode h = applied(null);
        assertThat(h.path("Ulimits").toString()).isEqualTo(
                "[{\"Name\":\"nofile\",\"Soft\":1000,\"Hard\":2000},{\"Name\":\"nproc\",\"Soft\":50,\"Hard\":50}]");
        assertThat(h.path("ShmSize").asLong()).isEqualTo(96L << 20);
        assertThat(h.path("Init").asBoolean()).isTrue();
        assertThat(h.path("SecurityOpt").toString()).isEqualTo("[\"no-new-privileges\"]");
        assertThat(h.path("IpcMode").asText()).isEqualTo("shareable");
        assertThat(h.path("CgroupnsMode").asText()).isEqualTo("private");
    }

    @Test
    void whatTheContainerSays_wins() throws Exception {
        JsonNode h = applied("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":10,\"Hard\":10}],\"ShmSize\":1048576,"
                + "\"Init\":false,\"SecurityOpt\":[\"no-new-privileges=false\"],\"IpcMode\":\"host\"}");
        assertThat(h.path("Ulimits").toString()).isEqualTo(
                "[{\"Name\":\"nofile\",\"Soft\":10,\"Hard\":10},{\"Name\":\"nproc\",\"Soft\":50,\"Hard\":50}]");
        assertThat(h.path("ShmSize").asLong()).isEqualTo(1048576);
        assertThat(h.path("Init").asBoolean()).isFalse();
        assertThat(h.path("SecurityOpt").toString()).isEqualTo("[\"no-new-privileges=false\"]");
        assertThat(h.path("IpcMode").asText()).isEqualTo("host");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ContainerDefaults(List.of(), 0, false, false, "host", ""))
                .hasMessageContaining("invalid default-ipc-mode host");
    }

    @Test
    void noDefaults_leaveTheBodyAsItIs() throws Exception {
        JsonNode given = Json.MAPPER.readTree("{\"Memory\":1}");
        assertThat(ContainerDefaults.NONE.applyTo(given)).isSameAs(given);
    }
}

package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.sys.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The daemon's --log-driver and --log-opt under a container's own LogConfig, as dockerd's getLogConfig. */
class DefaultLogConfigTest {
    private static JsonNode merged(String hostConfig, String driver, Map<String, String> opts) throws Exception {
        return ConfigMerger.normalizeHostConfig(new ContainerDefaults(List.of(), 0, false, false, "", "", driver, opts)
                .applyTo(hostConfig == null ? null : Json.MAPPER.readTree(hostConfig))).path("LogConfig");
    }

    @Test
    void aContainerNamingNoDriver_getsTheDaemonsWithItsOptions() throws Exception {
        JsonNode lc = merged("{}", "syslog", Map.of("syslog-address", "udp://h:514"));
        assertThat(lc.path("Type").asText()).isEqualTo("syslog");
        assertThat(lc.path("Config").path("syslog-address").asText()).isEqualTo("udp://h:514");
        assertThat(merged(null, "journald", Map.of()).path("Type").asText()).isEqualTo("journald");
    }

    @Test
    void theContainersOwnOptionsWin_andAnotherDriverTakesNoneOfTheDaemons() throws Exception {
        JsonNode same = merged("{\"LogConfig\": {\"Type\": \"syslog\", \"Config\": {\"tag\": \"web\"}}}", "syslog",
                Map.of("syslog-address", "udp://h:514", "tag", "daemon"));
        assertThat(same.path("Config").path("tag").asText()).isEqualTo("web");
        assertThat(same.path("Config").path("syslog-address").asText()).isEqualTo("udp://h:514");
        JsonNode other = merged("{\"LogConfig\": {\"Type\": \"json-file\"}}", "syslog", Map.of("syslog-address", "x"));
        assertThat(other.path("Type").asText()).isEqualTo("json-file");
        assertThat(other.path("Config").has("syslog-address")).isFalse();
    }

    @Test
    void theDefaultJsonFileWithNoOptions_changesNothing() throws Exception {
        JsonNode lc = merged("{}", "json-file", Map.of());
        assertThat(lc.path("Type").asText()).isEqualTo("json-file");
        assertThat(lc.path("Config").isEmpty()).isTrue();
    }
}

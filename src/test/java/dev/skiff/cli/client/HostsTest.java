package dev.skiff.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostsTest {
    @Test
    void resolve_prefersFlagThenSkiffHostThenDockerHost() {
        Map<String, String> both = Map.of("SKIFF_HOST", "tcp://a:1", "DOCKER_HOST", "tcp://b:2");
        assertThat(Hosts.resolve("unix:///x.sock", both)).isEqualTo("unix:///x.sock");
        assertThat(Hosts.resolve(null, both)).isEqualTo("tcp://a:1");
        assertThat(Hosts.resolve("", Map.of("DOCKER_HOST", "tcp://b:2"))).isEqualTo("tcp://b:2");
        assertThat(Hosts.resolve(null, Map.of())).isEqualTo("unix:///run/skiff/skiff.sock");
    }

    @Test
    void parse_readsUnixAndTcpAddresses() {
        assertThat(Hosts.parse("unix:///run/skiff/skiff.sock").socket()).isEqualTo(Path.of("/run/skiff/skiff.sock"));
        Hosts.Endpoint tcp = Hosts.parse("tcp://127.0.0.1:2376");
        assertThat(tcp.unix()).isFalse();
        assertThat(tcp.host()).isEqualTo("127.0.0.1");
        assertThat(tcp.port()).isEqualTo(2376);
        assertThat(Hosts.parse("tcp://localhost").port()).isEqualTo(2375);
    }

    @Test
    void parse_rejectsOtherSchemesWithTheWayOut() {
        assertThatThrownBy(() -> Hosts.parse("ssh://me@host"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("unix:///path/to.sock or tcp://host:port");
        assertThatThrownBy(() -> Hosts.parse("unix://relative.sock")).isInstanceOf(InvalidArgumentException.class);
    }
}

package dev.skiff.engine.network.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import org.junit.jupiter.api.Test;

class PortRequestsTest {
    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(s);
    }

    @Test
    void of_bindingsInPortOrder_withRangesAndAddresses() throws Exception {
        ObjectNode host = json("""
                {"PortBindings":{"443/tcp":[{"HostIp":"","HostPort":"8443"}],
                 "80/tcp":[{"HostIp":"127.0.0.1","HostPort":""},{"HostIp":"0.0.0.0","HostPort":"8000-8010"}],
                 "53/udp":[{"HostPort":"5353"}],"9/tcp":null}}""");
        assertThat(PortRequests.of(json("{}"), host)).containsExactly(
                new PortRequest("tcp", 80, "127.0.0.1", 0, 0),
                new PortRequest("tcp", 80, "", 8000, 8010),
                new PortRequest("tcp", 443, "", 8443, 8443),
                new PortRequest("udp", 53, "", 5353, 5353));
    }

    @Test
    void of_publishAll_addsExposedPortsWithoutABindingOfTheirOwn() throws Exception {
        ObjectNode config = json("{\"ExposedPorts\":{\"80/tcp\":{},\"443/tcp\":{},\"53/udp\":{}}}");
        ObjectNode host = json("{\"PublishAllPorts\":true,\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"}]}}");
        assertThat(PortRequests.of(config, host)).containsExactly(
                new PortRequest("tcp", 80, "", 8080, 8080),
                new PortRequest("tcp", 443, "", 0, 0),
                new PortRequest("udp", 53, "", 0, 0));
        assertThat(PortRequests.of(config, json("{\"PortBindings\":{}}"))).isEmpty();
        assertThat(PortRequests.of(null, null)).isEmpty();
    }

    @Test
    void of_anIpv6HostAddress_isKeptInOneSpelling() throws Exception {
        var requests = PortRequests.of(null, json("{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"[0:0::1]\",\"HostPort\":\"8080\"}]}}"));
        assertThat(requests).singleElement().satisfies(r -> assertThat(r.hostIp()).isEqualTo("::1"));
    }

    @Test
    void of_refusesBadInputWithDockersMessage() {
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":{\"x/tcp\":[]}}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("invalid port specification: \"x\"");
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":{\"80-81/tcp\":[]}}")))
                .hasMessage("invalid port specification: \"80-81\"");
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"99999\"}]}}")))
                .hasMessage("invalid port specification: \"99999\"");
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":{\"80/foo\":[]}}")))
                .hasMessage("invalid port specification: \"80\"");
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":{\"80/tcp\":[{\"HostIp\":\"nope\"}]}}")))
                .hasMessageStartingWith("invalid host IP address: \"nope\"");
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":{\"80/sctp\":[{\"HostIp\":\"::1\"}]}}")))
                .hasMessageContaining("SCTP ports are published on IPv4 addresses only");
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":[1]}")))
                .hasMessageStartingWith("invalid HostConfig.PortBindings");
        assertThatThrownBy(() -> PortRequests.of(null, json("{\"PortBindings\":{\"80/tcp\":{}}}")))
                .hasMessageStartingWith("invalid port bindings for 80/tcp");
    }

    @Test
    void of_isBounded_evenForImagesThatExposeEveryPort() throws Exception {
        ObjectNode config = json("{\"ExposedPorts\":{}}");
        ObjectNode exposed = (ObjectNode) config.get("ExposedPorts");
        for (int p = 1; p <= PortRequests.MAX_PORTS + 1; p++) {
            exposed.putObject(p + "/tcp");
        }
        assertThatThrownBy(() -> PortRequests.of(config, json("{\"PublishAllPorts\":true}")))
                .hasMessageStartingWith("too many published ports");
        assertThat(PortRequests.of(config, json("{}"))).isEmpty();
    }

    @Test
    void validate_containerModeCannotPublish_hostModeWarns() throws Exception {
        assertThatThrownBy(() -> PortRequests.validate(json("{}"), json(
                "{\"NetworkMode\":\"container:db\",\"PortBindings\":{\"80/tcp\":[{\"HostPort\":\"80\"}]}}")))
                .hasMessageStartingWith("conflicting options: port publishing and the container type network mode");
        PortRequests.validate(json("{}"), json("{\"NetworkMode\":\"container:db\",\"PortBindings\":{}}"));
        assertThat(PortRequests.networkModeWarnings(json("{\"NetworkMode\":\"host\",\"PortBindings\":{\"80/tcp\":[]}}")))
                .containsExactly("Published ports are discarded when using host network mode");
        assertThat(PortRequests.networkModeWarnings(json("{\"NetworkMode\":\"bridge\",\"PortBindings\":{\"80/tcp\":[]}}")))
                .isEmpty();
    }
}

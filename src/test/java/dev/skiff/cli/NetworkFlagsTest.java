package dev.skiff.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** network create's and connect's flags land where the docker 28 CLI puts them in the request body. */
class NetworkFlagsTest {
    @Test
    void create_sendsEveryFlag_andEnableIPv4OnlyWhenGiven() throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /networks/create", "{\"Id\":\"n1\"}");
        CliHarness.Result r = CliHarness.run(api, "network", "create", "--subnet", "10.5.0.0/24,10.6.0.0/24", "--gateway", "10.6.0.1",
                "--ipam-driver", "default", "--ipam-opt", "a=b", "--ipv4=false", "--scope", "local", "--config-only",
                "--config-from", "base", "--ingress", "n1");
        assertThat(r.out()).isEqualTo("n1\n");
        JsonNode b = api.request("POST", "/networks/create").json();
        assertThat(b.path("IPAM").toString()).isEqualTo("{\"Driver\":\"default\",\"Config\":[{\"Subnet\":\"10.5.0.0/24\"},"
                + "{\"Subnet\":\"10.6.0.0/24\",\"Gateway\":\"10.6.0.1\"}],\"Options\":{\"a\":\"b\"}}");
        assertThat(b.path("EnableIPv4").asBoolean(true)).isFalse();
        assertThat(b.path("Scope").asText()).isEqualTo("local");
        assertThat(b.path("ConfigOnly").asBoolean()).isTrue();
        assertThat(b.path("ConfigFrom").path("Network").asText()).isEqualTo("base");
        assertThat(b.path("Ingress").asBoolean()).isTrue();
        CliHarness.run(api, "network", "create", "n2");
        assertThat(api.requests.getLast().json().has("EnableIPv4")).isFalse();
    }

    @Test
    void connect_sendsLinksDriverOptsPriorityAndLinkLocalAddresses() throws Exception {
        FakeApiClient api = new FakeApiClient().on("POST /networks/n1/connect", "");
        CliHarness.Result r = CliHarness.run(api, "network", "connect", "--alias", "a,b", "--link", "db:d", "--driver-opt", "k=v",
                "--gw-priority", "-5", "--link-local-ip", "169.254.1.1", "n1", "web");
        assertThat(r.exit()).isZero();
        JsonNode ep = api.request("POST", "/networks/n1/connect").json().path("EndpointConfig");
        assertThat(ep.path("Aliases").toString()).isEqualTo("[\"a\",\"b\"]");
        assertThat(ep.path("Links").toString()).isEqualTo("[\"db:d\"]");
        assertThat(ep.path("DriverOpts").toString()).isEqualTo("{\"k\":\"v\"}");
        assertThat(ep.path("GwPriority").asInt()).isEqualTo(-5);
        assertThat(ep.path("IPAMConfig").path("LinkLocalIPs").toString()).isEqualTo("[\"169.254.1.1\"]");
    }
}

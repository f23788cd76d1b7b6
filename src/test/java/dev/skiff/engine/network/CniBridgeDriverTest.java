package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.engine.network.ports.PortBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CNI bridge driver against the contract, on the real plugins (needs root and /usr/lib/cni). */
class CniBridgeDriverTest extends NetworkDriverContract {
    @BeforeAll
    static void needsRootAndPlugins() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        assumeTrue(Files.isExecutable(Path.of("/usr/lib/cni/bridge")), "needs containernetworking-plugins");
    }

    @Override
    protected NetworkDriver driver() {
        return new CniBridgeDriver(Path.of("/usr/lib/cni"), "iptables");
    }

    @Test
    void plugins_internalNetwork_hasNoDefaultRoute_andPortsAddPortmap() {
        Network internal = new Network("d".repeat(64), "int", "bridge", "2026-01-01T00:00:00Z", "br-d", "10.5.0.0/24",
                "10.5.0.1", "", true, false, false, Map.of(), Map.of(), true);
        var req = new NetworkDriver.AttachRequest("c", Path.of("/x"), "eth0", "10.5.0.2", "", List.of(
                new PortBinding("tcp", 80, "", 8080)));
        var plugins = CniBridgeDriver.plugins(internal, req);
        assertThat(plugins.get(0).path("isDefaultGateway").asBoolean()).isFalse();
        assertThat(plugins.get(0).path("ipMasq").asBoolean()).isFalse();
        assertThat(plugins.get(0).path("ipam").path("addresses").get(0).path("address").asText()).isEqualTo("10.5.0.2/24");
        assertThat(plugins.get(1).path("type").asText()).isEqualTo("portmap");
        assertThat(plugins.get(1).path("runtimeConfig").path("portMappings").get(0).path("hostPort").asInt()).isEqualTo(8080);
    }

    @Test
    void vethProblem_readsTheHostSideFromSys() throws Exception {
        Network n = new Network("d".repeat(64), "n", "bridge", "2026-01-01T00:00:00Z", "br-d", "10.5.0.0/24",
                "10.5.0.1", "", false, false, false, Map.of(), Map.of(), true);
        String gone = "{\"interfaces\":[{\"name\":\"br-d\"},{\"name\":\"vethnosuch0\",\"mac\":\"02:00:00:00:00:01\"},"
                + "{\"name\":\"eth0\",\"sandbox\":\"/x\"}]}";
        assertThat(CniBridgeDriver.vethProblem(n, dev.skiff.sys.Json.MAPPER.readTree(gone)))
                .isEqualTo("its host side vethnosuch0 is gone");
        // a device that is there, with its own address, on no bridge: the loopback stands in for a veth that left it
        String offBridge = "{\"interfaces\":[{\"name\":\"lo\",\"mac\":\"00:00:00:00:00:00\"},"
                + "{\"name\":\"eth0\",\"sandbox\":\"/x\"}]}";
        assertThat(CniBridgeDriver.vethProblem(n, dev.skiff.sys.Json.MAPPER.readTree(offBridge)))
                .isEqualTo("its host side lo is not on bridge br-d");
        String reused = "{\"interfaces\":[{\"name\":\"lo\",\"mac\":\"02:00:00:00:00:01\"}]}";
        assertThat(CniBridgeDriver.vethProblem(n, dev.skiff.sys.Json.MAPPER.readTree(reused)))
                .startsWith("its host side lo is another device now");
    }

    @Test
    void rules_internalDropsBothWays_bridgeMasquerades() {
        Network internal = new Network("d".repeat(64), "int", "bridge", "2026-01-01T00:00:00Z", "br-d", "10.5.0.0/24",
                "10.5.0.1", "", true, false, false, Map.of(), Map.of(), true);
        assertThat(BridgeRules.rules(internal)).extracting(r -> String.join(" ", r.spec()))
                .containsExactly("-o br-d ! -i br-d -j DROP", "-i br-d ! -o br-d -j DROP");
        Network open = new Network("e".repeat(64), "open", "bridge", "2026-01-01T00:00:00Z", "br-e", "10.6.0.0/24",
                "10.6.0.1", "", false, false, false, Map.of(), Map.of(), true);
        assertThat(BridgeRules.rules(open)).extracting(r -> String.join(" ", r.spec()))
                .contains("-s 10.6.0.0/24 ! -o br-e -j MASQUERADE");
    }

    @Test
    void rules_withoutIcc_dropBetweenItsContainers_andWithoutMasqueradeAddNoNat() {
        Network closed = new Network("f".repeat(64), "closed", "bridge", "2026-01-01T00:00:00Z", "br-f", "10.7.0.0/24",
                "10.7.0.1", "", false, false, false, Map.of(), Map.of(BridgeRules.ICC_OPTION, "false",
                BridgeRules.MASQUERADE_OPTION, "false"), true);
        assertThat(BridgeRules.rules(closed)).extracting(r -> String.join(" ", r.spec()))
                .contains("-i br-f -o br-f -j DROP")
                .doesNotContain("-i br-f -o br-f -j ACCEPT", "-s 10.7.0.0/24 ! -o br-f -j MASQUERADE");
    }

    private static Network dualStack() {
        return new Network("d".repeat(64), "ds", "bridge", "2026-01-01T00:00:00Z", "br-d", "10.5.0.0/24", "10.5.0.1", "",
                false, false, false, Map.of(), Map.of(), true, new Network.Ipv6("fd00:5::/64", "fd00:5::1", "", true));
    }

    @Test
    void plugins_dualStack_giveTheInterfaceBothAddresses_eachWithItsGateway() {
        var req = new NetworkDriver.AttachRequest("c", Path.of("/x"), "eth0", "10.5.0.2", "", List.of(), "fd00:5::2");
        var addresses = CniBridgeDriver.plugins(dualStack(), req).get(0).path("ipam").path("addresses");
        assertThat(addresses).hasSize(2);
        assertThat(addresses.get(1).path("address").asText()).isEqualTo("fd00:5::2/64");
        assertThat(addresses.get(1).path("gateway").asText()).isEqualTo("fd00:5::1");
    }

    @Test
    void plugins_dualStackPorts_areNatedOverIpv6Too_butNotToLoopback_andIpv6HostAddressesAreRelayed() {
        var req = new NetworkDriver.AttachRequest("c", Path.of("/x"), "eth0", "10.5.0.2", "", List.of(
                new PortBinding("tcp", 80, "", 8080), new PortBinding("tcp", 81, "::1", 8081)), "fd00:5::2");
        var portmap = CniBridgeDriver.plugins(dualStack(), req).get(1);
        assertThat(portmap.path("conditionsV6").toString()).isEqualTo("[\"!\",\"-d\",\"::1/128\"]");
        assertThat(portmap.path("runtimeConfig").path("portMappings")).singleElement()
                .satisfies(m -> assertThat(m.path("hostPort").asInt()).isEqualTo(8080));
        var onlyRelayed = new NetworkDriver.AttachRequest("c", Path.of("/x"), "eth0", "10.5.0.2", "", List.of(
                new PortBinding("tcp", 81, "::1", 8081)), "fd00:5::2");
        assertThat(CniBridgeDriver.plugins(dualStack(), onlyRelayed)).hasSize(1); // no portmap with nothing to map
    }

    @Test
    void rules6_isolateAndMasqueradeTheIpv6Subnet_andAnIpv4OnlyNetworkHasNone() {
        assertThat(BridgeRules.rules6(dualStack())).extracting(r -> String.join(" ", r.spec()))
                .contains("-s fd00:5::/64 ! -o br-d -j MASQUERADE", "-o br-d -j DROP");
        Network v4 = new Network("e".repeat(64), "v4", "bridge", "2026-01-01T00:00:00Z", "br-e", "10.6.0.0/24",
                "10.6.0.1", "", false, false, false, Map.of(), Map.of(), true);
        assertThat(BridgeRules.rules6(v4)).isEmpty();
    }
}


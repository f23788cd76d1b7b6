package dev.skiff.cli.commands.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cli.commands.CliFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How `skiff network create` pairs its IPAM flags: the docker 28 CLI's consolidateIpam, refusals in its words. */
class NetworkPoolsTest {
    @Test
    void eachRangeGatewayAndAuxAddress_goesWithTheSubnetHoldingIt_inTheSubnetsOrder() {
        assertThat(IpamFlags.consolidate(List.of("fd00:1::/64", "10.1.0.0/24"), List.of("10.1.0.128/25"),
                List.of("fd00:1::fe", "10.1.0.254"), List.of("r=10.1.0.9"))).containsExactly(
                Map.of("Subnet", "fd00:1::/64", "Gateway", "fd00:1::fe"),
                Map.of("Subnet", "10.1.0.0/24", "IPRange", "10.1.0.128/25", "Gateway", "10.1.0.254",
                        "AuxiliaryAddresses", Map.of("r", "10.1.0.9")));
    }

    @Test
    void whatDockerRefuses_isRefusedInItsWords() {
        refused(List.of("10.1.0.0/24"), List.of(), List.of("fd00:1::1"), "no matching subnet for gateway fd00:1::1");
        refused(List.of("10.99.0.0/24"), List.of(), List.of("10.98.0.1"), "no matching subnet for gateway 10.98.0.1");
        refused(List.of(), List.of("10.0.0.0/24"), List.of(), "every ip-range or gateway must have a corresponding subnet");
        refused(List.of("10.0.0.0/16", "10.0.1.0/24"), List.of(), List.of(), "multiple overlapping subnet configuration is not supported");
        refused(List.of("10.0.0.0/16"), List.of(), List.of("10.0.0.1", "10.0.0.2"),
                "every ip-range or gateway must have a corresponding subnet");
        refused(List.of("bogus"), List.of(), List.of("10.0.0.1"), "invalid subnet: invalid CIDR address: bogus");
    }

    private static void refused(List<String> subnets, List<String> ranges, List<String> gateways, String message) {
        assertThatThrownBy(() -> IpamFlags.consolidate(subnets, ranges, gateways, List.of()))
                .isInstanceOf(CliFailure.class).hasMessage(message)
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(1));
    }
}

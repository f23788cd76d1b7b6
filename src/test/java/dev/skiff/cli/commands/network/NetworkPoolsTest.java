package dev.skiff.cli.commands.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.cli.commands.CliFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How `skiff network create` pairs --gateway and --ip-range with the --subnet of their family. */
class NetworkPoolsTest {
    @Test
    void eachGatewayAndRange_goesWithTheSubnetOfItsFamily_inTheSubnetsOrder() {
        assertThat(NetworkCommands.pools(List.of("fd00:1::/64", "10.1.0.0/24"), List.of("10.1.0.128/25"),
                List.of("fd00:1::fe", "10.1.0.254"))).containsExactly(
                Map.of("Subnet", "fd00:1::/64", "Gateway", "fd00:1::fe"),
                Map.of("Subnet", "10.1.0.0/24", "IPRange", "10.1.0.128/25", "Gateway", "10.1.0.254"));
    }

    @Test
    void aGatewayWithoutASubnetOfItsFamily_isDockersError() {
        assertThatThrownBy(() -> NetworkCommands.pools(List.of("10.1.0.0/24"), List.of(), List.of("fd00:1::1")))
                .isInstanceOf(CliFailure.class).hasMessage("no matching subnet for gateway fd00:1::1")
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(1));
    }
}

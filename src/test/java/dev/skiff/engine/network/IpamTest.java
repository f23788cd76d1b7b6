package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IpamTest {
    private static Network net(String subnet, String gateway, String range, boolean user) {
        return new Network("a".repeat(64), "n", "bridge", "2026-01-01T00:00:00Z", "br-x", subnet, gateway, range,
                false, false, false, Map.of(), Map.of(), user);
    }

    @Test
    void cidr_parse_clearsHostBits_andFormats() {
        assertThat(Cidr.parse("172.18.0.1/16").toString()).isEqualTo("172.18.0.0/16");
        assertThat(Cidr.parse("10.0.0.0/8").last()).isEqualTo(Cidr.parseAddress("10.255.255.255"));
        assertThat(Cidr.format(Cidr.parseAddress("192.168.1.254"))).isEqualTo("192.168.1.254");
    }

    @Test
    void cidr_parse_refusesGarbage() {
        for (String bad : List.of("", "10.0.0.0", "10.0.0.0/33", "10.0.0/8", "256.0.0.0/8", "a.b.c.d/8", "10.0.0.0/x",
                "1.2.3.4.5/8")) {
            assertThatThrownBy(() -> Cidr.parse(bad)).as(bad).isInstanceOf(InvalidArgumentException.class);
        }
    }

    @Test
    void cidr_overlaps_bothWays() {
        Cidr big = Cidr.parse("172.16.0.0/12");
        Cidr small = Cidr.parse("172.18.0.0/16");
        assertThat(big.overlaps(small)).isTrue();
        assertThat(small.overlaps(big)).isTrue();
        assertThat(small.overlaps(Cidr.parse("172.19.0.0/16"))).isFalse();
        assertThat(big.contains(small)).isTrue();
        assertThat(small.contains(big)).isFalse();
    }

    @Test
    void chooseSubnet_takesTheFirstDockerPool_thatNothingOverlaps() {
        assertThat(Ipam.chooseSubnet(List.of())).hasToString("172.17.0.0/16");
        assertThat(Ipam.chooseSubnet(List.of(Cidr.parse("172.17.0.0/16"), Cidr.parse("172.18.5.0/24"))))
                .hasToString("172.19.0.0/16");
        // a host route over all of 172.16/12 pushes it into 192.168/16, /20 at a time
        assertThat(Ipam.chooseSubnet(List.of(Cidr.parse("172.16.0.0/12"), Cidr.parse("192.168.1.0/24"))))
                .hasToString("192.168.16.0/20");
    }

    @Test
    void chooseSubnet_whenEverythingIsTaken_saysSo() {
        assertThatThrownBy(() -> Ipam.chooseSubnet(List.of(Cidr.parse("0.0.0.0/1"), Cidr.parse("128.0.0.0/1"))))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("fully subnetted");
    }

    @Test
    void checkNoOverlap_usesDockersMessage() {
        assertThatThrownBy(() -> Ipam.checkNoOverlap(Cidr.parse("10.1.0.0/16"), List.of(Cidr.parse("10.1.2.0/24"))))
                .isInstanceOf(ConflictException.class)
                .hasMessageContaining("Pool overlaps with other one on this address space");
    }

    @Test
    void allocate_lowestFree_skippingNetworkGatewayAndUsed() {
        Network n = net("10.9.0.0/24", "10.9.0.1", "", true);
        assertThat(Cidr.format(Ipam.allocate(n, Set.of(), ""))).isEqualTo("10.9.0.2");
        assertThat(Cidr.format(Ipam.allocate(n, Set.of(Cidr.parseAddress("10.9.0.2")), ""))).isEqualTo("10.9.0.3");
        Network gwHigh = net("10.9.0.0/24", "10.9.0.254", "", true);
        assertThat(Cidr.format(Ipam.allocate(gwHigh, Set.of(), ""))).isEqualTo("10.9.0.1");
    }

    @Test
    void allocate_fromTheIpRange() {
        Network n = net("10.9.0.0/16", "10.9.0.1", "10.9.5.0/24", true);
        assertThat(Cidr.format(Ipam.allocate(n, Set.of(), ""))).isEqualTo("10.9.5.0");
    }

    @Test
    void allocate_requested_mustBeFreeAndInTheSubnet() {
        Network n = net("10.9.0.0/24", "10.9.0.1", "", true);
        assertThat(Cidr.format(Ipam.allocate(n, Set.of(), "10.9.0.77"))).isEqualTo("10.9.0.77");
        assertThatThrownBy(() -> Ipam.allocate(n, Set.of(Cidr.parseAddress("10.9.0.77")), "10.9.0.77"))
                .isInstanceOf(ConflictException.class).hasMessageContaining("Address already in use");
        assertThatThrownBy(() -> Ipam.allocate(n, Set.of(), "10.9.0.1")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> Ipam.allocate(n, Set.of(), "10.8.0.5")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no configured subnet or ip-range contain the IP address 10.8.0.5");
    }

    @Test
    void allocate_whenFull_saysWhatToDo() {
        Network n = net("10.9.0.0/30", "10.9.0.1", "", true);
        assertThatThrownBy(() -> Ipam.allocate(n, Set.of(Cidr.parseAddress("10.9.0.2")), ""))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("no available IPv4 addresses");
    }

    @Test
    void hostRoutes_parsesTheKernelsTable() {
        String table = """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                """;
        assertThat(HostRoutes.parse(table)).extracting(Cidr::toString).containsExactly("192.0.2.0/24", "172.17.0.0/16");
    }

    @Test
    void deviceAddress_isTheDevicesOwnIpv4WithItsPrefix_orNull() {
        org.assertj.core.api.Assertions.assertThat(HostRoutes.deviceAddress("lo")).isEqualTo("127.0.0.1/8");
        org.assertj.core.api.Assertions.assertThat(HostRoutes.deviceAddress("skiffnodev0")).isNull();
    }
}

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
    void configuredPools_areCutIntoSubnetsOfTheirSize_inOrder() {
        List<Ipam.AddressPool> pools = List.of(Ipam.AddressPool.parse("base=10.10.0.0/16,size=24"),
                Ipam.AddressPool.parse("size=26, base=10.20.0.0/24"));
        assertThat(Ipam.chooseSubnet(List.of(), pools)).hasToString("10.10.0.0/24");
        assertThat(Ipam.chooseSubnet(List.of(Cidr.parse("10.10.0.0/24"), Cidr.parse("10.10.1.7/32")), pools))
                .hasToString("10.10.2.0/24");
        assertThat(Ipam.chooseSubnet(List.of(Cidr.parse("10.10.0.0/16"), Cidr.parse("10.20.0.0/26")), pools))
                .hasToString("10.20.0.64/26");
        assertThatThrownBy(() -> Ipam.chooseSubnet(List.of(Cidr.parse("10.0.0.0/8")), pools))
                .hasMessageContaining("all predefined address pools have been fully subnetted");
        assertThatThrownBy(() -> Ipam.AddressPool.parse("base=10.10.0.0/16,size=8")).hasMessageContaining("size 8");
        assertThatThrownBy(() -> Ipam.AddressPool.parse("base=10.10.0.0/16")).hasMessageContaining("needs a base and a size");
        assertThatThrownBy(() -> Ipam.AddressPool.parse("10.10.0.0/16")).hasMessageContaining("base=10.10.0.0/16,size=24");
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

    private static Network dual(String subnet6, String range6, boolean user) {
        return new Network("a".repeat(64), "n6", "bridge", "2026-01-01T00:00:00Z", "br-x", "10.9.0.0/24", "10.9.0.1", "",
                false, false, false, Map.of(), Map.of(), true,
                new Network.Ipv6(subnet6, Cidr6.format(Cidr6.parse(subnet6).at(1)), range6, user));
    }

    private static Set<java.math.BigInteger> used6(String... addresses) {
        Set<java.math.BigInteger> out = new java.util.HashSet<>();
        for (String a : addresses) {
            out.add(Cidr6.parseAddress(a));
        }
        return out;
    }

    @Test
    void allocate6_takesTheLowestFree_neverTheSubnetRouterOrTheGateway() {
        Network n = dual("fd00:9::/64", "", true);
        assertThat(Cidr6.format(Ipam.allocate6(n, Set.of(), ""))).isEqualTo("fd00:9::2");
        assertThat(Cidr6.format(Ipam.allocate6(n, used6("fd00:9::2", "fd00:9::4"), ""))).isEqualTo("fd00:9::3");
        assertThat(Cidr6.format(Ipam.allocate6(dual("fd00:9::/64", "fd00:9::100/120", true), Set.of(), "")))
                .isEqualTo("fd00:9::100");
    }

    @Test
    void allocate6_requested_mustBeFreeAndInside() {
        Network n = dual("fd00:9::/64", "", true);
        assertThat(Cidr6.format(Ipam.allocate6(n, Set.of(), "fd00:9::99"))).isEqualTo("fd00:9::99");
        assertThatThrownBy(() -> Ipam.allocate6(n, used6("fd00:9::99"), "fd00:9::99")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> Ipam.allocate6(n, Set.of(), "fd00:9::1")).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> Ipam.allocate6(n, Set.of(), "fd00:8::5")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no configured subnet");
    }

    @Test
    void allocate6_aFullRange_saysSo() {
        Network n = dual("fd00:9::/126", "", true); // ::0 the subnet router, ::1 the gateway, ::2 and ::3
        assertThatThrownBy(() -> Ipam.allocate6(n, used6("fd00:9::2", "fd00:9::3"), ""))
                .isInstanceOf(UnavailableException.class).hasMessageContaining("no available IPv6 addresses on network n6");
    }

    @Test
    void ulaPrefix_isAStableFd48_perSeed() {
        Cidr6 a = Ipam.ulaPrefix("seed-a");
        assertThat(a.prefix()).isEqualTo(48);
        assertThat(a.toString()).startsWith("fd");
        assertThat(Ipam.ulaPrefix("seed-a")).isEqualTo(a);
        assertThat(Ipam.ulaPrefix("seed-b")).isNotEqualTo(a);
    }

    @Test
    void chooseSubnet6_takesTheFirstFree64_ofThePool() {
        Cidr6 pool = Cidr6.parse("fd12:3456:789a::/48");
        assertThat(Ipam.chooseSubnet6(pool, List.of()).toString()).isEqualTo("fd12:3456:789a::/64");
        assertThat(Ipam.chooseSubnet6(pool, List.of(Cidr6.parse("fd12:3456:789a::/64"), Cidr6.parse("fd12:3456:789a:1::/64")))
                .toString()).isEqualTo("fd12:3456:789a:2::/64");
        assertThatThrownBy(() -> Ipam.checkNoOverlap6(Cidr6.parse("fd12:3456:789a:1::/64"), List.of(pool)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("Pool overlaps");
    }
}


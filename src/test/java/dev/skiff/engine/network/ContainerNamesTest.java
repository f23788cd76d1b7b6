package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.sys.Sqlite;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Service discovery answers, and the store's persistence, on a real SQLite file. */
class ContainerNamesTest {
    @TempDir
    Path tmp;
    Sqlite db;
    NetworkStore store;
    final Network app = net("a", "app", "10.1.0.0/24", false);
    final Network other = net("b", "other", "10.2.0.0/24", false);
    final Network bridge = net("c", "bridge", "10.3.0.0/24", true);
    final Map<String, String> names = Map.of(id('1'), "web1", id('2'), "web2", id('3'), "db", id('4'), "loner");

    private static String id(char c) {
        return String.valueOf(c).repeat(64);
    }

    private static Network net(String c, String name, String subnet, boolean predefined) {
        return new Network(c.repeat(64), name, "bridge", "2026-01-01T00:00:00Z", "br-" + c, subnet,
                subnet.replace(".0/24", ".1"), "", false, false, predefined, Map.of(), Map.of(), true);
    }

    private Endpoint ep(char container, Network n, String ip, String... aliases) {
        return new Endpoint(id(container), n.id(), "e".repeat(64), List.of(aliases), "", "", ip, "", "eth0", List.of(), null);
    }

    @BeforeEach
    void setUp() throws Exception {
        db = Sqlite.open(tmp.resolve("skiff.db"));
        store = new NetworkStore(db);
        for (Network n : List.of(app, other, bridge)) {
            store.put(n);
        }
        store.putEndpoint(ep('1', app, "10.1.0.2", "web"));
        store.putEndpoint(ep('2', app, "10.1.0.3", "web"));
        store.putEndpoint(ep('3', app, "10.1.0.4"));
        store.putEndpoint(ep('4', other, "10.2.0.2"));
        store.putEndpoint(ep('4', bridge, "10.3.0.2"));
        store.putEndpoint(ep('3', bridge, "10.3.0.3"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private ContainerNames as(char container) {
        return new ContainerNames(store, id(container), names::get);
    }

    private static String ips(List<Inet4Address> as) {
        return String.join(",", as.stream().map(Inet4Address::getHostAddress).toList());
    }

    @Test
    void names_aliases_shortIds_onSharedNetworksOnly() {
        assertThat(ips(as('3').lookup("web1"))).isEqualTo("10.1.0.2");
        assertThat(ips(as('3').lookup("WEB2".toLowerCase()))).isEqualTo("10.1.0.3");
        assertThat(ips(as('3').lookup("111111111111"))).isEqualTo("10.1.0.2");
        assertThat(ips(as('3').lookup("web1.app"))).isEqualTo("10.1.0.2");
        assertThat(as('3').lookup("loner")).as("not on a shared network").isEmpty();
        assertThat(as('4').lookup("db")).as("the default bridge has no service discovery").isEmpty();
        assertThat(as('3').lookup("example.com")).isEmpty();
    }

    @Test
    void sharedAlias_givesEveryAddress_roundRobin() {
        ContainerNames r = as('3');
        String first = ips(r.lookup("web"));
        String second = ips(r.lookup("web"));
        assertThat(List.of(first, second)).containsExactlyInAnyOrder("10.1.0.2,10.1.0.3", "10.1.0.3,10.1.0.2");
    }

    @Test
    void answersFollowTheStore() {
        store.putEndpoint(ep('1', app, "10.1.0.2", "web").detached());
        assertThat(ips(as('3').lookup("web"))).isEqualTo("10.1.0.3");
        assertThat(as('3').lookup("web1")).isEmpty();
    }

    @Test
    void reverse_namesContainerDotNetwork() throws Exception {
        assertThat(as('3').reverse((Inet4Address) InetAddress.getByName("10.1.0.3"))).isEqualTo("web2.app");
        assertThat(as('3').reverse((Inet4Address) InetAddress.getByName("10.2.0.2"))).isNull();
    }

    @Test
    void store_survivesAReopen() throws Exception {
        db.close();
        db = Sqlite.open(tmp.resolve("skiff.db"));
        NetworkStore again = new NetworkStore(db);
        assertThat(again.byName("app")).contains(app);
        assertThat(again.endpointsOf(id('4'))).hasSize(2);
        assertThat(again.endpointsOn(app.id())).hasSize(3);
        again.deleteEndpoint(id('4'), other.id());
        again.delete(other.id());
        assertThat(again.endpointsOf(id('4'))).hasSize(1);
        assertThat(again.byName("other")).isEmpty();
    }

    @Test
    void lookup6_givesTheIpv6AddressesOnDualStackNetworks_only() {
        Network dual = new Network("d".repeat(64), "dual", "bridge", "2026-01-01T00:00:00Z", "br-d", "10.4.0.0/24",
                "10.4.0.1", "", false, false, false, Map.of(), Map.of(), true,
                new Network.Ipv6("fd00:4::/64", "fd00:4::1", "", true));
        store.put(dual);
        store.putEndpoint(ep('1', dual, "10.4.0.2", "svc").withIp6("fd00:4::2"));
        store.putEndpoint(ep('3', dual, "10.4.0.3").withIp6("fd00:4::3"));
        assertThat(as('3').lookup6("web1")).extracting(java.net.Inet6Address::getHostAddress)
                .containsExactly("fd00:4:0:0:0:0:0:2");
        assertThat(as('3').lookup6("svc.dual")).hasSize(1);
        assertThat(as('3').lookup6("web2")).as("on no network with IPv6").isEmpty();
        // on app and on dual both: the address on the first of them, as dockerd's resolver answers from one network
        assertThat(as('3').lookup("web1")).hasSize(1);
        assertThat(as('3').reverse6((java.net.Inet6Address) InetAddress.ofLiteral("fd00:4:0::2"))).isEqualTo("web1.dual");
        assertThat(as('3').reverse6((java.net.Inet6Address) InetAddress.ofLiteral("fd00:4::9"))).isNull();
    }

    @Test
    void store_readsRowsWrittenBeforeIpv6_asIpv4Only() throws Exception {
        db.update("INSERT OR REPLACE INTO network_networks(id, json) VALUES (?, ?)", "f".repeat(64),
                "{\"id\":\"" + "f".repeat(64) + "\",\"name\":\"old\",\"driver\":\"bridge\",\"created\":\"x\","
                        + "\"bridge\":\"br-f\",\"subnet\":\"10.8.0.0/24\",\"gateway\":\"10.8.0.1\",\"ipRange\":\"\","
                        + "\"internal\":false,\"attachable\":false,\"predefined\":false,\"labels\":{},\"options\":{},"
                        + "\"userSubnet\":true}");
        db.update("INSERT OR REPLACE INTO network_endpoints(container_id, network_id, json) VALUES (?, ?, ?)", id('9'),
                "f".repeat(64), "{\"containerId\":\"" + id('9') + "\",\"networkId\":\"" + "f".repeat(64) + "\","
                        + "\"endpointId\":\"e\",\"aliases\":[],\"requestedIp\":\"\",\"requestedMac\":\"\",\"ip\":\"10.8.0.2\","
                        + "\"mac\":\"\",\"ifName\":\"eth0\",\"ports\":[],\"driverState\":null}");
        NetworkStore again = new NetworkStore(db);
        assertThat(again.byName("old")).hasValueSatisfying(n -> assertThat(n.enableIpv6()).isFalse());
        assertThat(again.endpointsOf(id('9'))).singleElement().satisfies(e -> {
            assertThat(e.ip6()).isEmpty();
            assertThat(e.requestedIp6()).isEmpty();
        });
    }
}


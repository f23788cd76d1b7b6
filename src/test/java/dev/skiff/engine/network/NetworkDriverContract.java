package dev.skiff.engine.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.runtime.unix.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link NetworkDriver} does, checked on the real kernel: an implementation's test extends this and
 * supplies the driver. Each test uses its own bridge name and a random 10.x subnet, and removes all it made.
 */
public abstract class NetworkDriverContract {
    @TempDir
    Path tmp;
    private NetworkDriver driver;
    private Network network;
    private final List<Path> namespaces = new ArrayList<>();

    protected abstract NetworkDriver driver();

    @BeforeEach
    void setUp() {
        driver = driver();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String subnet = "10." + r.nextInt(100, 250) + "." + r.nextInt(256) + ".0/24";
        String gw = subnet.replace(".0/24", ".1");
        network = new Network("c".repeat(64), "contract", driver.name(), "2026-01-01T00:00:00Z",
                "skc" + Integer.toHexString(r.nextInt(0x100000, 0xffffff)), subnet, gw, "", false, false, false, Map.of(),
                Map.of(), true);
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (Path ns : namespaces) {
            NetNs.remove(ns);
        }
        driver.tearDown(network);
    }

    private Path netns(String name) throws IOException {
        Path p = tmp.resolve(name);
        NetNs.create(p);
        namespaces.add(p);
        return p;
    }

    private String address(int host) {
        return network.subnet().replace(".0/24", "." + host);
    }

    @Test
    void setUp_makesTheBridgeWithItsGateway_beforeAnyAttach_andTearDownRemovesIt() throws Exception {
        driver.setUp(network);
        driver.setUp(network); // again, as every daemon start does
        assertThat(Path.of("/sys/class/net", network.bridge())).exists();
        Process p = new ProcessBuilder("ip", "-4", "addr", "show", "dev", network.bridge()).redirectErrorStream(true).start();
        String addr = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(addr).contains(network.gateway() + "/24");
        driver.tearDown(network);
        assertThat(Path.of("/sys/class/net", network.bridge())).doesNotExist();
    }

    @Test
    void attach_putsTheAddressInTheNamespace_andDetachTakesItAway() throws Exception {
        driver.setUp(network);
        Path ns = netns("a");
        NetworkDriver.Attachment a = driver.attach(network, new NetworkDriver.AttachRequest("ctr-a", ns, "eth0", address(2), "", List.of()));
        assertThat(a.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
        assertThat(inNetns(ns, "ip", "-o", "-4", "addr", "show", "eth0")).contains(address(2) + "/24");
        assertThat(inNetns(ns, "ip", "route")).contains("default via " + network.gateway());
        driver.detach(network, new NetworkDriver.AttachRequest("ctr-a", ns, "eth0", address(2), "", List.of()));
        assertThat(inNetns(ns, "ip", "-o", "link")).doesNotContain("eth0");
    }

    @Test
    void check_passesOnAnIntactAttach_andSaysWhenTheInterfaceIsGone() throws Exception {
        driver.setUp(network);
        Path ns = netns("k");
        var req = new NetworkDriver.AttachRequest("ctr-k", ns, "eth0", address(7), "", List.of());
        NetworkDriver.Attachment a = driver.attach(network, req);
        driver.check(network, req, a.state());
        inNetns(ns, "ip", "link", "del", "eth0");
        assertThatThrownBy(() -> driver.check(network, req, a.state())).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("eth0");
        driver.detach(network, req);
    }

    @Test
    void twoEndpoints_reachEachOther() throws Exception {
        driver.setUp(network);
        Path a = netns("a");
        Path b = netns("b");
        driver.attach(network, new NetworkDriver.AttachRequest("ctr-a", a, "eth0", address(2), "", List.of()));
        driver.attach(network, new NetworkDriver.AttachRequest("ctr-b", b, "eth0", address(3), "", List.of()));
        assertThat(inNetns(a, "busybox", "ping", "-c", "1", "-W", "2", address(3))).contains("1 packets received");
    }

    @Test
    void detach_isIdempotent_evenWhenTheNamespaceIsGone() throws Exception {
        driver.setUp(network);
        Path ns = netns("a");
        var req = new NetworkDriver.AttachRequest("ctr-a", ns, "eth0", address(2), "", List.of());
        driver.attach(network, req);
        driver.detach(network, req);
        driver.detach(network, req);
        NetNs.remove(ns);
        driver.detach(network, req);
        driver.detach(network, new NetworkDriver.AttachRequest("ctr-a", null, "eth0", address(2), "", List.of()));
    }

    @Test
    void publishedPorts_areUndone_evenAfterTheNamespaceIsGone() throws Exception {
        driver.setUp(network);
        Path ns = netns("p");
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        var ports = List.of(new dev.skiff.engine.network.ports.PortBinding("tcp", 80, "127.0.0.1", port));
        driver.attach(network, new NetworkDriver.AttachRequest("ctr-p", ns, "eth0", address(5), "", ports));
        assertThat(iptablesSave()).contains("--dport " + port);
        NetNs.remove(ns);
        namespaces.remove(ns);
        driver.detach(network, new NetworkDriver.AttachRequest("ctr-p", null, "eth0", address(5), "", ports));
        assertThat(iptablesSave()).doesNotContain("--dport " + port);
    }

    @Test
    void requestedMac_isSet() throws Exception {
        driver.setUp(network);
        Path ns = netns("m");
        NetworkDriver.Attachment a = driver.attach(network,
                new NetworkDriver.AttachRequest("ctr-m", ns, "eth0", address(6), "02:42:0a:0b:0c:0d", List.of()));
        assertThat(a.mac()).isEqualTo("02:42:0a:0b:0c:0d");
        assertThat(inNetns(ns, "ip", "-o", "link", "show", "eth0")).contains("02:42:0a:0b:0c:0d");
    }

    @Test
    void check_passesWithPublishedPorts_andSaysWhenTheirRulesAreGone() throws Exception {
        driver.setUp(network);
        Path ns = netns("q");
        int port = 20000 + ThreadLocalRandom.current().nextInt(20000);
        var ports = List.of(new dev.skiff.engine.network.ports.PortBinding("tcp", 80, "", port));
        var req = new NetworkDriver.AttachRequest("ctr-q", ns, "eth0", address(8), "", ports);
        NetworkDriver.Attachment a = driver.attach(network, req);
        driver.check(network, req, a.state()); // whether or not ip6tables' nat table is loaded on this host
        String chain = PortmapRules.chainName(network.name(), "ctr-q");
        new ProcessBuilder("iptables", "-w", "5", "-t", "nat", "-F", chain).start().waitFor(30, TimeUnit.SECONDS);
        assertThatThrownBy(() -> driver.check(network, req, a.state())).isInstanceOf(RuntimeException.class)
                .hasMessageContaining("port " + port);
        driver.detach(network, req);
    }

    /** A dual-stack copy of the test's network, on a random ULA /64. */
    private Network dualStack() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String prefix = "fd" + Integer.toHexString(r.nextInt(0x10, 0xff)) + ":" + Integer.toHexString(r.nextInt(1, 0xffff))
                + ":" + Integer.toHexString(r.nextInt(1, 0xffff)) + "::";
        network = new Network(network.id(), network.name(), network.driver(), network.created(), network.bridge(),
                network.subnet(), network.gateway(), "", false, false, false, Map.of(), Map.of(), true,
                new Network.Ipv6(prefix + "/64", prefix + "1", "", true));
        return network;
    }

    static boolean hostHasIpv6() {
        try {
            return Files.exists(Path.of("/proc/net/if_inet6"))
                    && Files.readString(Path.of("/proc/sys/net/ipv6/conf/default/disable_ipv6")).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void dualStack_givesBothAddresses_andTheEndpointsReachEachOtherOverIpv6() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hostHasIpv6(), "the host has IPv6 turned off");
        Network n = dualStack();
        driver.setUp(n);
        String v6a = n.ipv6().subnet().replace("::/64", "::2");
        String v6b = n.ipv6().subnet().replace("::/64", "::3");
        Path a = netns("a6");
        Path b = netns("b6");
        driver.attach(n, new NetworkDriver.AttachRequest("ctr-a6", a, "eth0", address(2), "", List.of(), v6a));
        driver.attach(n, new NetworkDriver.AttachRequest("ctr-b6", b, "eth0", address(3), "", List.of(), v6b));
        assertThat(inNetns(a, "ip", "-o", "-6", "addr", "show", "eth0")).contains(v6a + "/64");
        assertThat(inNetns(a, "ip", "-6", "route")).contains("default via " + n.ipv6().gateway());
        assertThat(inNetns(a, "busybox", "ping", "-6", "-c", "1", "-W", "2", v6b)).contains("1 packets received");
        assertThat(inNetns(a, "busybox", "ping", "-6", "-c", "1", "-W", "2", n.ipv6().gateway())).contains("1 packets received");
    }

    @Test
    void dualStack_anAddressGivenToAnotherEndpoint_isReachedAtItsNewInterface() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hostHasIpv6(), "the host has IPv6 turned off");
        Network n = dualStack();
        driver.setUp(n);
        String v6 = n.ipv6().subnet().replace("::/64", "::2");
        for (String name : List.of("first", "second")) {
            Path ns = netns(name);
            var req = new NetworkDriver.AttachRequest("ctr-" + name, ns, "eth0", address(2), "", List.of(), v6);
            driver.attach(n, req);
            // the host's own traffic leaves an entry for the address on the bridge; the second endpoint must not
            // be sent the first one's MAC from it
            assertThat(run("busybox", "ping", "-c", "1", "-W", "2", address(2))).as(name).contains("1 packets received");
            assertThat(run("busybox", "ping", "-6", "-c", "1", "-W", "2", v6)).as(name).contains("1 packets received");
            driver.detach(n, req);
            NetNs.remove(ns);
            namespaces.remove(ns);
        }
    }

    @Test
    void dualStack_tearDown_removesItsIpv6Rules() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(hostHasIpv6(), "the host has IPv6 turned off");
        Network n = dualStack();
        driver.setUp(n);
        assertThat(run("ip6tables-save")).contains("-s " + n.ipv6().subnet());
        driver.tearDown(n);
        assertThat(run("ip6tables-save")).doesNotContain(n.bridge());
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static String iptablesSave() throws Exception {
        return run("iptables-save");
    }

    @Test
    void attach_failure_leavesNothing() throws Exception {
        driver.setUp(network);
        Path gone = tmp.resolve("no-such-netns");
        assertThatThrownBy(() -> driver.attach(network,
                new NetworkDriver.AttachRequest("ctr-x", gone, "eth0", address(2), "", List.of())))
                .isInstanceOf(RuntimeException.class);
        Path ns = netns("after");
        driver.attach(network, new NetworkDriver.AttachRequest("ctr-y", ns, "eth0", address(2), "", List.of()));
    }

    @Test
    void tearDown_removesTheBridge() throws Exception {
        driver.setUp(network);
        Path ns = netns("a");
        var req = new NetworkDriver.AttachRequest("ctr-a", ns, "eth0", address(2), "", List.of());
        driver.attach(network, req);
        driver.detach(network, req);
        driver.tearDown(network);
        assertThat(Files.exists(Path.of("/sys/class/net", network.bridge()))).isFalse();
    }

    /** Runs a command inside the namespace file with nsenter, returning its output. */
    static String inNetns(Path ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("nsenter", "--net=" + ns));
        full.addAll(List.of(cmd));
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}

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

    private static String iptablesSave() throws Exception {
        Process p = new ProcessBuilder("iptables-save").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
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

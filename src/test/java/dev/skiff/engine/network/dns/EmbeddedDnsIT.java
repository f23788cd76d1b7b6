package dev.skiff.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.unix.NetnsSwitch;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * The server inside real throwaway network namespaces (ip netns), queried from inside them by busybox nslookup
 * and by a Java client on a thread switched into the namespace; upstreams are fake servers on the host's
 * loopback. Every namespace is removed afterwards.
 */
class EmbeddedDnsIT {
    private final List<String> namespaces = new ArrayList<>();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private EmbeddedDns dns;
    private FakeUpstream upstream;
    private final MapResolver names = new MapResolver().add("web", "172.30.0.2").add("web.skiffnet", "172.30.0.2")
            .add("api", "172.30.0.4").add("api", "172.30.0.5");

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "network namespaces need root");
        dns = EmbeddedDns.start();
        upstream = new FakeUpstream("127.0.0.1", (q, tcp) -> EmbeddedDnsTest.answer(q, "192.0.2.50"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            c.close();
        }
        if (dns != null) {
            dns.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        for (String ns : namespaces) {
            run("ip", "netns", "del", ns);
        }
    }

    @Test
    void busyboxInsideTheNamespace_resolvesContainersAliasesAddressesAndOtherNames() throws Exception {
        String ns = namespace(true);
        closeAfter.add(dns.serve(netnsFile(ns), names, List.of(upstream.address())));

        String web = run("ip", "netns", "exec", ns, "busybox", "nslookup", "-type=a", "web", "127.0.0.11");
        String alias = run("ip", "netns", "exec", ns, "busybox", "nslookup", "-type=a", "api", "127.0.0.11");
        String ptr = run("ip", "netns", "exec", ns, "busybox", "nslookup", "172.30.0.2", "127.0.0.11");
        String forwarded = run("ip", "netns", "exec", ns, "busybox", "nslookup", "-type=a", "example.org", "127.0.0.11");

        assertThat(web).contains("172.30.0.2");
        assertThat(alias).contains("172.30.0.4").contains("172.30.0.5");
        assertThat(ptr).contains("name = web");
        assertThat(forwarded).contains("192.0.2.50");
        assertThat(upstream.seen).anySatisfy(s -> assertThat(s.query().getQuestion().getName().toString()).isEqualTo("example.org."));
    }

    @Test
    void javaClientInsideTheNamespace_overUdpAndTcp() throws Exception {
        String ns = namespace(true);
        closeAfter.add(dns.serve(netnsFile(ns), names, List.of(upstream.address())));
        InetSocketAddress server = EmbeddedDns.CONTAINER_ADDRESS;

        Message udp = NetnsSwitch.inside(netnsFile(ns), () -> DnsClient.udp(server, DnsClient.query("WEB.skiffnet", Type.A)));
        Message tcp = NetnsSwitch.inside(netnsFile(ns), () -> DnsClient.tcp(server, DnsClient.query("example.org", Type.A)));
        Message aaaa = NetnsSwitch.inside(netnsFile(ns), () -> DnsClient.udp(server, DnsClient.query("web", Type.AAAA)));

        assertThat(AnswererTest.addresses(udp)).containsExactly("172.30.0.2");
        assertThat(AnswererTest.addresses(tcp)).containsExactly("192.0.2.50");
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(aaaa.getSection(org.xbill.DNS.Section.ANSWER)).isEmpty();
        // nothing listens at 127.0.0.11 in the daemon's own namespace
        assertThat(DnsClient.udpRaw(server, DnsClient.query("web", Type.A).toWire())).isNull();
    }

    @Test
    void aNamespaceThatDisappears_doesNotDisturbTheOthers() throws Exception {
        String gone = namespace(true);
        String stays = namespace(true);
        AutoCloseable goneHandle = dns.serve(netnsFile(gone), names, List.of(upstream.address()));
        closeAfter.add(dns.serve(netnsFile(stays), new MapResolver().add("db", "172.30.0.3"), List.of()));

        run("ip", "netns", "del", gone);
        namespaces.remove(gone);

        Message reply = NetnsSwitch.inside(netnsFile(stays),
                () -> DnsClient.udp(EmbeddedDns.CONTAINER_ADDRESS, DnsClient.query("db", Type.A)));
        assertThat(AnswererTest.addresses(reply)).containsExactly("172.30.0.3");
        goneHandle.close(); // its sockets were the namespace's last users; closing them is still clean
        Message again = NetnsSwitch.inside(netnsFile(stays),
                () -> DnsClient.tcp(EmbeddedDns.CONTAINER_ADDRESS, DnsClient.query("db", Type.A)));
        assertThat(AnswererTest.addresses(again)).containsExactly("172.30.0.3");
    }

    @Test
    void closingTheHandle_freesPort53_soTheNamespaceCanBeServedAgain() throws Exception {
        String ns = namespace(true);
        AutoCloseable first = dns.serve(netnsFile(ns), names, List.of());
        first.close();

        closeAfter.add(dns.serve(netnsFile(ns), new MapResolver().add("web", "172.30.0.9"), List.of()));

        Message reply = NetnsSwitch.inside(netnsFile(ns),
                () -> DnsClient.udp(EmbeddedDns.CONTAINER_ADDRESS, DnsClient.query("web", Type.A)));
        assertThat(AnswererTest.addresses(reply)).containsExactly("172.30.0.9");
    }

    @Test
    void servingBeforeTheLoopbackIsUp_works_onceItIsUp() throws Exception {
        String ns = namespace(false);
        closeAfter.add(dns.serve(netnsFile(ns), names, List.of()));

        runChecked("ip", "-n", ns, "link", "set", "lo", "up");

        Message reply = NetnsSwitch.inside(netnsFile(ns),
                () -> DnsClient.udp(EmbeddedDns.CONTAINER_ADDRESS, DnsClient.query("web", Type.A)));
        assertThat(AnswererTest.addresses(reply)).containsExactly("172.30.0.2");
    }

    @Test
    void theContainersOwnDnsServer_mayListenOnPort53_besideTheEmbeddedOne() throws Exception {
        String ns = namespace(true);
        closeAfter.add(dns.serve(netnsFile(ns), names, List.of()));

        // what a DNS server in the container (dnsmasq, Pi-hole, CoreDNS) does: port 53 on every address
        AutoCloseable own = NetnsSwitch.inside(netnsFile(ns), () -> {
            java.nio.channels.DatagramChannel udp = java.nio.channels.DatagramChannel.open(java.net.StandardProtocolFamily.INET)
                    .bind(new InetSocketAddress(53));
            java.nio.channels.ServerSocketChannel tcp = java.nio.channels.ServerSocketChannel.open(
                    java.net.StandardProtocolFamily.INET).bind(new InetSocketAddress(53));
            return () -> {
                udp.close();
                tcp.close();
            };
        });
        closeAfter.add(own);
        Message udp = NetnsSwitch.inside(netnsFile(ns),
                () -> DnsClient.udp(EmbeddedDns.CONTAINER_ADDRESS, DnsClient.query("web", Type.A)));
        Message tcp = NetnsSwitch.inside(netnsFile(ns),
                () -> DnsClient.tcp(EmbeddedDns.CONTAINER_ADDRESS, DnsClient.query("api", Type.A)));
        assertThat(AnswererTest.addresses(udp)).containsExactly("172.30.0.2");
        assertThat(AnswererTest.addresses(tcp)).containsExactlyInAnyOrder("172.30.0.4", "172.30.0.5");
    }

    @Test
    void servingANamespaceAgain_afterARestart_movesTheRedirect_withoutRepeatingItsJumps() throws Exception {
        String ns = namespace(true);
        AutoCloseable before = dns.serve(netnsFile(ns), names, List.of());
        before.close(); // the daemon died: its sockets went, the namespace and its rules stayed
        closeAfter.add(dns.serve(netnsFile(ns), new MapResolver().add("web", "172.30.0.9"), List.of(), List.of(), false));

        Message reply = NetnsSwitch.inside(netnsFile(ns),
                () -> DnsClient.udp(EmbeddedDns.CONTAINER_ADDRESS, DnsClient.query("web", Type.A)));
        assertThat(AnswererTest.addresses(reply)).containsExactly("172.30.0.9");
        String nat = runChecked("ip", "netns", "exec", ns, "iptables-save", "-t", "nat");
        assertThat(nat.lines().filter(l -> l.startsWith("-A OUTPUT")).count()).as(nat).isEqualTo(1);
        assertThat(nat.lines().filter(l -> l.startsWith("-A " + DnsRedirect.OUTPUT_CHAIN)).count()).as(nat).isEqualTo(2);
    }

    @Test
    void missingNamespace_isAClearError() {
        assertThatThrownBy(() -> dns.serve(Path.of("/var/run/netns/skiffdns-no-such"), names, List.of()))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("127.0.0.11:53").hasMessageContaining("skiffdns-no-such")
                .hasMessageContaining("namespace is gone");
    }

    private String namespace(boolean loopbackUp) throws Exception {
        String name = "skiffdns-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        namespaces.add(name);
        runChecked("ip", "netns", "add", name);
        if (loopbackUp) {
            runChecked("ip", "-n", name, "link", "set", "lo", "up");
        }
        return name;
    }

    private static Path netnsFile(String name) {
        return Path.of("/var/run/netns", name);
    }

    private static String runChecked(String... command) throws Exception {
        Process p = start(command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** Runs a command, returning its output whatever its exit status (nslookup exits 1 on a partial answer). */
    private static String run(String... command) throws Exception {
        Process p = start(command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(15, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private static Process start(String... command) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/busybox")) || Files.isExecutable(Path.of("/bin/busybox")), "busybox");
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }
}

package dev.skiff.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.xbill.DNS.Message;
import org.xbill.DNS.Type;

/**
 * Numbers for docs/DNS.md, not a pass/fail test: run with
 * {@code ./mvnw -B -o test -Dtest=EmbeddedDnsBenchTest -Dskiff.bench=true}. Loopback only; the upstream is a fake.
 */
@EnabledIfSystemProperty(named = "skiff.bench", matches = "true")
class EmbeddedDnsBenchTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private static final int QUERIES = 10_000;

    @Test
    void queriesPerSecondAndLatency() throws Exception {
        MapResolver names = new MapResolver().add("web", "172.30.0.2").add("api", "172.30.0.4").add("api", "172.30.0.5");
        try (EmbeddedDns dns = EmbeddedDns.start();
                FakeUpstream upstream = new FakeUpstream("127.0.0.1", (q, tcp) -> EmbeddedDnsTest.answer(q, "192.0.2.1"))) {
            Served served = dns.serveAt(ANY_PORT, names, List.of(upstream.address()), List.of());
            InetSocketAddress at = served.address();
            report("local name, sequential", sequential(at, "api", QUERIES));
            report("forwarded name, sequential", sequential(at, "example.org", QUERIES / 2));
            report("upstream directly, sequential", sequential(upstream.address(), "example.org", QUERIES / 2));
            long start = System.nanoTime();
            int answered = windowed(at, "web", QUERIES * 5, 64);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("BENCH local name, 64 in flight: %d of %d answered, %.0f queries/s%n",
                    answered, QUERIES * 5, answered / seconds);
            served.close();
        }
    }

    @Test
    void thousandContainersOnOneThread() throws Exception {
        MapResolver names = new MapResolver().add("web", "172.30.0.2");
        try (EmbeddedDns dns = EmbeddedDns.start()) {
            List<Served> all = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < 1000; i++) {
                all.add(dns.serveAt(ANY_PORT, names, List.of(), List.of()));
            }
            double serveMs = (System.nanoTime() - start) / 1e6 / all.size();
            long threads = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("embedded-dns")).count();
            int answered = 0;
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(2000);
                byte[] query = DnsClient.query("web", Type.A).toWire();
                byte[] buf = new byte[512];
                for (Served s : all) {
                    client.send(new DatagramPacket(query, query.length, s.address()));
                    client.receive(new DatagramPacket(buf, buf.length));
                    answered++;
                }
            }
            System.out.printf("BENCH 1000 endpoints: %.3f ms per serveAt, %d answered, %d embedded-dns thread(s)%n",
                    serveMs, answered, threads);
            assertThat(answered).isEqualTo(1000);
            for (Served s : all) {
                s.close();
            }
        }
    }

    @Test
    void serveLatencyInANetworkNamespace() throws Exception {
        if (!"root".equals(System.getProperty("user.name"))) {
            return;
        }
        String ns = "skiffdns-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        exec("ip", "netns", "add", ns);
        try (EmbeddedDns dns = EmbeddedDns.start()) {
            exec("ip", "-n", ns, "link", "set", "lo", "up");
            long[] nanos = new long[200];
            for (int i = 0; i < nanos.length; i++) {
                long start = System.nanoTime();
                AutoCloseable handle = dns.serve(Path.of("/var/run/netns", ns), new MapResolver(), List.of());
                nanos[i] = System.nanoTime() - start;
                handle.close();
            }
            Arrays.sort(nanos);
            System.out.printf("BENCH serve() into a netns: median %.3f ms, p90 %.3f ms%n",
                    nanos[nanos.length / 2] / 1e6, nanos[nanos.length * 9 / 10] / 1e6);
        } finally {
            exec("ip", "netns", "del", ns);
        }
    }

    private static long[] sequential(InetSocketAddress at, String name, int n) throws Exception {
        long[] nanos = new long[n];
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(2000);
            byte[] buf = new byte[512];
            for (int i = 0; i < n; i++) {
                byte[] query = DnsClient.query(name, Type.A).toWire();
                long start = System.nanoTime();
                client.send(new DatagramPacket(query, query.length, at));
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                client.receive(reply);
                nanos[i] = System.nanoTime() - start;
                if (i == 0) {
                    assertThat(new Message(Arrays.copyOf(buf, reply.getLength())).getRcode()).isZero();
                }
            }
        }
        return nanos;
    }

    /** Keeps {@code window} queries outstanding; returns how many were answered. */
    private static int windowed(InetSocketAddress at, String name, int n, int window) throws Exception {
        byte[] query = DnsClient.query(name, Type.A).toWire();
        int answered = 0;
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(1000);
            client.setReceiveBufferSize(1 << 20);
            byte[] buf = new byte[512];
            int sent = 0;
            for (; sent < window; sent++) {
                client.send(new DatagramPacket(query, query.length, at));
            }
            try {
                while (answered < n) {
                    client.receive(new DatagramPacket(buf, buf.length));
                    answered++;
                    if (sent < n) {
                        client.send(new DatagramPacket(query, query.length, at));
                        sent++;
                    }
                }
            } catch (java.net.SocketTimeoutException lost) {
                // a dropped datagram ends the run; the count says how many came back
            }
        }
        return answered;
    }

    private static void report(String what, long[] nanos) {
        long total = Arrays.stream(nanos).sum();
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("BENCH %s: %d queries, %.0f queries/s, median %.1f us, p99 %.1f us%n", what, nanos.length,
                nanos.length / (total / 1e9), sorted[sorted.length / 2] / 1e3, sorted[sorted.length * 99 / 100] / 1e3);
    }

    private static void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }
}

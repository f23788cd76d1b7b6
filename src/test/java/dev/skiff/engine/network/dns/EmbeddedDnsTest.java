package dev.skiff.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The server on real loopback sockets in the test's own namespace, with real fake upstreams. */
class EmbeddedDnsTest {
    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0);
    private final EmbeddedDns dns = EmbeddedDns.start();
    private final List<AutoCloseable> closeAfter = new ArrayList<>();
    private final MapResolver names = new MapResolver().add("web", "172.30.0.2")
            .add("api", "172.30.0.4").add("api", "172.30.0.5");

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeAfter.reversed()) {
            c.close();
        }
        dns.close();
    }

    @Test
    void udpAndTcp_answerContainerNamesAndRotateAliases() throws Exception {
        InetSocketAddress at = serve(names, List.of()).address();

        assertThat(AnswererTest.addresses(DnsClient.udp(at, DnsClient.query("web", Type.A)))).containsExactly("172.30.0.2");
        assertThat(AnswererTest.addresses(DnsClient.tcp(at, DnsClient.query("web", Type.A)))).containsExactly("172.30.0.2");
        List<String> first = AnswererTest.addresses(DnsClient.udp(at, DnsClient.query("api", Type.A)));
        List<String> second = AnswererTest.addresses(DnsClient.udp(at, DnsClient.query("api", Type.A)));
        assertThat(first).containsExactlyInAnyOrder("172.30.0.4", "172.30.0.5");
        assertThat(second).containsExactly(first.get(1), first.get(0));
    }

    @Test
    void otherNames_areForwardedUpstream_andAnsweredWithTheClientsId() throws Exception {
        FakeUpstream upstream = upstream("127.0.0.1", (q, tcp) -> answer(q, "192.0.2.10"));
        InetSocketAddress at = serve(names, List.of(upstream.address())).address();
        Message query = DnsClient.query("example.org", Type.A);

        Message reply = DnsClient.udp(at, query);

        assertThat(reply.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(AnswererTest.addresses(reply)).containsExactly("192.0.2.10");
        assertThat(upstream.seen).hasSize(1);
        assertThat(upstream.seen.getFirst().query().getQuestion()).isEqualTo(query.getQuestion());
        assertThat(upstream.seen.getFirst().tcp()).isFalse();
    }

    @Test
    void tcpQueries_areForwardedOverTcp_severalOnOneConnection() throws Exception {
        FakeUpstream upstream = upstream("127.0.0.1", (q, tcp) -> answer(q, "192.0.2.11"));
        InetSocketAddress at = serve(names, List.of(upstream.address())).address();

        try (Socket socket = new Socket(at.getAddress(), at.getPort())) {
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            Message forwarded = DnsClient.query("example.org", Type.A);
            Message local = DnsClient.query("web", Type.A);
            for (Message m : List.of(forwarded, local)) { // pipelined: both before reading
                byte[] wire = m.toWire();
                out.writeShort(wire.length);
                out.write(wire);
            }
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            Set<String> got = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                got.addAll(AnswererTest.addresses(new Message(wire)));
            }
            assertThat(got).containsExactlyInAnyOrder("192.0.2.11", "172.30.0.2");
        }
        assertThat(upstream.seen).singleElement().satisfies(s -> assertThat(s.tcp()).isTrue());
    }

    @Test
    void truncatedUpstreamAnswer_reachesUdpClientsAsIs_andTheTcpRetryGetsItAll() throws Exception {
        FakeUpstream upstream = upstream("127.0.0.1", (q, tcp) -> {
            Message m = answer(q, "192.0.2.12");
            if (!tcp) {
                m.removeAllRecords(Section.ANSWER);
                m.getHeader().setFlag(Flags.TC);
            }
            return m;
        });
        InetSocketAddress at = serve(names, List.of(upstream.address())).address();

        Message overUdp = DnsClient.udp(at, DnsClient.query("big.example.org", Type.A));
        Message overTcp = DnsClient.tcp(at, DnsClient.query("big.example.org", Type.A));

        assertThat(overUdp.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(overUdp.getSection(Section.ANSWER)).isEmpty();
        assertThat(overTcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(AnswererTest.addresses(overTcp)).containsExactly("192.0.2.12");
    }

    @Test
    void silentUpstream_isGivenUpAfterTheTimeout_forTheNextOne() throws Exception {
        FakeUpstream silent = upstream("127.0.0.1", (q, tcp) -> null);
        FakeUpstream next = upstream("127.0.0.1", (q, tcp) -> answer(q, "192.0.2.13"));
        InetSocketAddress at = serve(names, List.of(silent.address(), next.address())).address();

        long start = System.nanoTime();
        Message reply = DnsClient.udp(at, DnsClient.query("example.org", Type.A));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertThat(AnswererTest.addresses(reply)).containsExactly("192.0.2.13");
        assertThat(millis).isBetween(Forwarder.UPSTREAM_TIMEOUT_MILLIS - 100, Forwarder.UPSTREAM_TIMEOUT_MILLIS + 2500);
        assertThat(silent.seen).hasSize(1);
    }

    @Test
    void refusingUpstream_passesTheQueryOnAtOnce_andNoneLeftIsServfail() throws Exception {
        InetSocketAddress closedPort;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
            closedPort = (InetSocketAddress) s.getLocalSocketAddress();
        }
        FakeUpstream next = upstream("127.0.0.1", (q, tcp) -> answer(q, "192.0.2.14"));
        InetSocketAddress both = serve(names, List.of(closedPort, next.address())).address();
        InetSocketAddress onlyRefusing = serve(names, List.of(closedPort)).address();

        long start = System.nanoTime();
        Message reply = DnsClient.udp(both, DnsClient.query("example.org", Type.A));
        long millis = (System.nanoTime() - start) / 1_000_000;
        Message failed = DnsClient.udp(onlyRefusing, DnsClient.query("example.org", Type.A));

        assertThat(AnswererTest.addresses(reply)).containsExactly("192.0.2.14");
        assertThat(millis).isLessThan(1000); // the ICMP port-unreachable ended the first attempt
        assertThat(failed.getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void noUpstreams_otherNamesGetServfail() throws Exception {
        InetSocketAddress at = serve(names, List.of()).address();

        assertThat(DnsClient.udp(at, DnsClient.query("example.org", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(DnsClient.tcp(at, DnsClient.query("example.org", Type.A)).getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void forwardsInFlight_areBoundedPerContainer() throws Exception {
        FakeUpstream silent = upstream("127.0.0.1", (q, tcp) -> null);
        InetSocketAddress at = serve(names, List.of(silent.address())).address();
        int extra = 20;

        int servfails = 0;
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(1000);
            for (int i = 0; i < Forwarder.MAX_IN_FLIGHT_PER_CONTAINER + extra; i++) {
                byte[] wire = DnsClient.query("n" + i + ".example.org", Type.A).toWire();
                client.send(new java.net.DatagramPacket(wire, wire.length, at));
                if (i % 16 == 15) {
                    Thread.sleep(2); // paced, so the kernel's socket buffers drop none of them
                }
            }
            byte[] buf = new byte[4096];
            try {
                while (true) { // the overflow is answered at once; the rest only after the upstream timeout
                    java.net.DatagramPacket p = new java.net.DatagramPacket(buf, buf.length);
                    client.receive(p);
                    if (new Message(java.util.Arrays.copyOf(p.getData(), p.getLength())).getRcode() == Rcode.SERVFAIL) {
                        servfails++;
                    }
                }
            } catch (java.net.SocketTimeoutException enough) {
                // what came within a second
            }
        }

        assertThat(servfails).isEqualTo(extra);
        assertThat(silent.seen.size()).isLessThanOrEqualTo(Forwarder.MAX_IN_FLIGHT_PER_CONTAINER);
    }

    @Test
    void malformedPackets_doNotStopTheServer() throws Exception {
        InetSocketAddress at = serve(names, List.of()).address();
        Random random = new Random(42);
        DnsClient.udp(at, DnsClient.query("web", Type.A)); // warm-up: class loading would stall the first packets

        try (DatagramSocket client = new DatagramSocket(); Socket tcp = new Socket(at.getAddress(), at.getPort())) {
            for (int i = 0; i < 500; i++) {
                byte[] junk = new byte[random.nextInt(600)];
                random.nextBytes(junk);
                if (junk.length > 2 && i % 2 == 0) {
                    junk[2] &= 0x7f; // half of them look like queries, so the parser sees them
                }
                client.send(new java.net.DatagramPacket(junk, junk.length, at));
                if (i % 16 == 15) {
                    Thread.sleep(2); // paced: a full socket buffer would drop the real query below
                }
            }
            byte[] junk = new byte[300];
            random.nextBytes(junk);
            tcp.getOutputStream().write(junk);
            tcp.getOutputStream().flush();
        }

        assertThat(AnswererTest.addresses(DnsClient.udp(at, DnsClient.query("web", Type.A)))).containsExactly("172.30.0.2");
        assertThat(AnswererTest.addresses(DnsClient.tcp(at, DnsClient.query("web", Type.A)))).containsExactly("172.30.0.2");
    }

    @Test
    void closingOneEndpoint_freesItsAddress_andLeavesTheOthersServing() throws Exception {
        Served first = dns.serveAt(ANY_PORT, names, List.of(), List.of());
        InetSocketAddress firstAt = first.address();
        InetSocketAddress secondAt = serve(new MapResolver().add("db", "172.30.0.3"), List.of()).address();

        first.close();

        byte[] query = DnsClient.query("web", Type.A).toWire();
        assertThat(DnsClient.udpRaw(firstAt, query)).isNull();
        assertThat(AnswererTest.addresses(DnsClient.udp(secondAt, DnsClient.query("db", Type.A)))).containsExactly("172.30.0.3");
        Served again = dns.serveAt(firstAt, names, List.of(), List.of()); // the same address at once
        closeAfter.add(again);
        assertThat(AnswererTest.addresses(DnsClient.udp(firstAt, DnsClient.query("web", Type.A)))).containsExactly("172.30.0.2");
        first.close(); // twice is fine
    }

    @Test
    void closedServer_refusesNewEndpoints_andHasClosedTheOld() throws Exception {
        InetSocketAddress at = serve(names, List.of()).address();

        dns.close();

        assertThat(DnsClient.udpRaw(at, DnsClient.query("web", Type.A).toWire())).isNull();
        assertThatThrownBy(() -> dns.serveAt(ANY_PORT, names, List.of(), List.of())).isInstanceOf(IllegalStateException.class);
    }

    private Served serve(NameResolver resolver, List<InetSocketAddress> upstreams) throws Exception {
        Served served = dns.serveAt(ANY_PORT, resolver, upstreams, List.of());
        closeAfter.add(served);
        return served;
    }

    private FakeUpstream upstream(String address, java.util.function.BiFunction<Message, Boolean, Message> script)
            throws Exception {
        FakeUpstream upstream = new FakeUpstream(address, script);
        closeAfter.add(upstream);
        return upstream;
    }

    static Message answer(Message query, String address) {
        Message m = new Message(query.getHeader().getID());
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RA);
        Record q = query.getQuestion();
        m.addRecord(q, Section.QUESTION);
        if (q.getType() == Type.A) {
            m.addRecord(new ARecord(q.getName(), DClass.IN, 60, MapResolver.ip(address)), Section.ANSWER);
        }
        return m;
    }
}

package dev.skiff.engine.network.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswererTest {
    private final MapResolver names = new MapResolver()
            .add("web", "172.30.0.2")
            .add("db", "172.30.0.3")
            .add("api", "172.30.0.4").add("api", "172.30.0.5").add("api", "172.30.0.6");
    private final Answerer answerer = new Answerer(names, List.of("corp.example"), true);

    @Test
    void answer_containerName_givesItsAddressWithDockersTtl() throws Exception {
        Message query = DnsClient.query("web", Type.A);
        Message reply = reply(answerer.answer(query.toWire(), true));

        assertThat(reply.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(reply.getHeader().getFlag(Flags.QR)).isTrue();
        assertThat(reply.getHeader().getFlag(Flags.RA)).isTrue();
        assertThat(reply.getHeader().getFlag(Flags.RD)).isTrue();
        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getQuestion()).isEqualTo(query.getQuestion());
        List<Record> answers = reply.getSection(Section.ANSWER);
        assertThat(answers).hasSize(1);
        assertThat(((ARecord) answers.getFirst()).getAddress()).isEqualTo(MapResolver.ip("172.30.0.2"));
        assertThat(answers.getFirst().getTTL()).isEqualTo(600);
    }

    @Test
    void answer_mixedCaseAndTrailingDot_isCaseInsensitive() throws Exception {
        Message reply = reply(answerer.answer(DnsClient.query("WeB.", Type.A).toWire(), true));

        assertThat(addresses(reply)).containsExactly("172.30.0.2");
        assertThat(reply.getSection(Section.ANSWER).getFirst().getName().toString()).isEqualTo("WeB."); // echoes the asker's case
    }

    @Test
    void answer_nameWithSearchDomain_isAnsweredLikeTheBareName() throws Exception {
        assertThat(addresses(reply(answerer.answer(DnsClient.query("db.corp.example", Type.A).toWire(), true))))
                .containsExactly("172.30.0.3");
        assertThat(answerer.answer(DnsClient.query("db.other.example", Type.A).toWire(), true))
                .isInstanceOf(Answerer.Forward.class);
    }

    @Test
    void answer_sharedAlias_rotatesTheOrderPerQuery() throws Exception {
        List<List<String>> orders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            orders.add(addresses(reply(answerer.answer(DnsClient.query("api", Type.A).toWire(), true))));
            answerer.answer(DnsClient.query("web", Type.A).toWire(), true); // other names in between do not skew it
        }

        assertThat(orders.get(0)).containsExactly("172.30.0.4", "172.30.0.5", "172.30.0.6");
        assertThat(orders.get(1)).containsExactly("172.30.0.5", "172.30.0.6", "172.30.0.4");
        assertThat(orders.get(2)).containsExactly("172.30.0.6", "172.30.0.4", "172.30.0.5");
        assertThat(orders.get(3)).isEqualTo(orders.get(0));
    }

    @Test
    void answer_aaaaForKnownName_isNoErrorWithoutRecords() throws Exception {
        Message reply = reply(answerer.answer(DnsClient.query("web", Type.AAAA).toWire(), true));

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(reply.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void answer_aaaaForANameOnADualStackNetwork_givesItsIpv6Addresses_roundRobin() throws Exception {
        MapResolver dual = new MapResolver().add("app", "172.30.0.7").add6("app", "fd00:30::7").add6("app", "fd00:30::8");
        Answerer a = new Answerer(dual, List.of("corp.example"), true);
        List<List<String>> orders = new ArrayList<>();
        for (String q : List.of("app", "app.corp.example")) {
            Message reply = reply(a.answer(DnsClient.query(q, Type.AAAA).toWire(), true));
            assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
            orders.add(reply.getSection(Section.ANSWER).stream()
                    .map(r -> ((org.xbill.DNS.AAAARecord) r).getAddress().getHostAddress()).toList());
        }
        assertThat(orders.get(0)).containsExactly("fd00:30:0:0:0:0:0:7", "fd00:30:0:0:0:0:0:8");
        assertThat(orders.get(1)).hasSize(2);
        assertThat(addresses(reply(a.answer(DnsClient.query("app", Type.A).toWire(), true)))).containsExactly("172.30.0.7");
    }

    @Test
    void answer_ptrOfAContainersIpv6Address_givesItsName_andOthersAreForwarded() throws Exception {
        Answerer a = new Answerer(new MapResolver().add6("app", "fd00:30::7"), List.of(), true);
        String reverse = "7.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.3.0.0.0.0.d.f.ip6.arpa";
        Message reply = reply(a.answer(DnsClient.query(reverse, Type.PTR).toWire(), true));
        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(((PTRRecord) reply.getSection(Section.ANSWER).getFirst()).getTarget().toString()).isEqualTo("app.");
        assertThat(a.answer(DnsClient.query(reverse.replaceFirst("^7", "8"), Type.PTR).toWire(), true))
                .isInstanceOf(Answerer.Forward.class);
        assertThat(Answerer.reverseAddress6("x.ip6.arpa")).isNull();
        assertThat(Answerer.reverseAddress6(reverse.replaceFirst("^7", "g"))).isNull();
    }

    @Test
    void answer_aaaaForUnknownName_isForwarded() {
        assertThat(answerer.answer(DnsClient.query("example.org", Type.AAAA).toWire(), true))
                .isInstanceOf(Answerer.Forward.class);
    }

    @Test
    void answer_ptrOfContainerAddress_givesItsName() throws Exception {
        Message reply = reply(answerer.answer(DnsClient.query("3.0.30.172.in-addr.arpa", Type.PTR).toWire(), true));

        assertThat(reply.getRcode()).isEqualTo(Rcode.NOERROR);
        PTRRecord ptr = (PTRRecord) reply.getSection(Section.ANSWER).getFirst();
        assertThat(ptr.getTarget().toString()).isEqualTo("db.");
        assertThat(ptr.getTTL()).isEqualTo(600);
    }

    @Test
    void answer_ptrOfOtherAddress_isForwarded() {
        assertThat(answerer.answer(DnsClient.query("8.8.8.8.in-addr.arpa", Type.PTR).toWire(), true))
                .isInstanceOf(Answerer.Forward.class);
    }

    @Test
    void answer_unknownNameOrOtherType_isForwarded() {
        assertThat(answerer.answer(DnsClient.query("example.org", Type.A).toWire(), true)).isInstanceOf(Answerer.Forward.class);
        assertThat(answerer.answer(DnsClient.query("web", Type.MX).toWire(), true)).isInstanceOf(Answerer.Forward.class);
    }

    @Test
    void answer_unknownNameWithoutUpstreams_isServfail() throws Exception {
        Answerer internal = new Answerer(names, List.of(), false);

        assertThat(reply(internal.answer(DnsClient.query("example.org", Type.A).toWire(), true)).getRcode())
                .isEqualTo(Rcode.SERVFAIL);
        assertThat(addresses(reply(internal.answer(DnsClient.query("web", Type.A).toWire(), true))))
                .containsExactly("172.30.0.2");
    }

    @Test
    void answer_resolverThatThrows_isServfailNotACrash() throws Exception {
        NameResolver broken = new NameResolver() {
            @Override
            public List<Inet4Address> lookup(String name) {
                throw new IllegalStateException("store closed");
            }

            @Override
            public String reverse(Inet4Address address) {
                return null;
            }
        };

        Message reply = reply(new Answerer(broken, List.of(), true).answer(DnsClient.query("web", Type.A).toWire(), true));

        assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
    }

    @Test
    void answer_manyAddressesOverPlainUdp_isTruncatedAndComplete_overTcp() throws Exception {
        MapResolver crowd = new MapResolver();
        for (int i = 1; i <= 60; i++) {
            crowd.add("worker", "10.1.0." + i);
        }
        Answerer a = new Answerer(crowd, List.of(), true);
        byte[] query = DnsClient.query("worker", Type.A).toWire();

        byte[] udp = ((Answerer.Reply) a.answer(query, true)).wire();
        byte[] tcp = ((Answerer.Reply) a.answer(query, false)).wire();

        assertThat(udp.length).isLessThanOrEqualTo(512);
        assertThat(new Message(udp).getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(new Message(udp).getSection(Section.ANSWER).size()).isLessThan(60);
        assertThat(new Message(tcp).getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(new Message(tcp).getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void answer_manyAddressesWithEdns_fitsTheOfferedSize() throws Exception {
        MapResolver crowd = new MapResolver();
        for (int i = 1; i <= 60; i++) {
            crowd.add("worker", "10.1.0." + i);
        }
        byte[] query = DnsClient.queryEdns("worker", Type.A, 1232).toWire();

        Message reply = new Message(((Answerer.Reply) new Answerer(crowd, List.of(), true).answer(query, true)).wire());

        assertThat(reply.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(reply.getSection(Section.ANSWER)).hasSize(60);
        assertThat(reply.getOPT()).isNotNull();
    }

    @Test
    void answer_garbageAfterTheHeader_isFormerrWithTheSameId() {
        byte[] packet = {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 63, 'a', 'b'};

        byte[] reply = ((Answerer.Reply) answerer.answer(packet, true)).wire();

        assertThat(reply).hasSize(12);
        assertThat(reply[0]).isEqualTo((byte) 0x12);
        assertThat(reply[1]).isEqualTo((byte) 0x34);
        assertThat(reply[2] & 0x80).isNotZero(); // a response
        assertThat(reply[3] & 0x0f).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void answer_compressionPointerLoop_isFormerr() {
        // the question name is a pointer to itself (offset 12)
        byte[] packet = {0x00, 0x07, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 1, 0, 1};

        Answerer.Outcome outcome = answerer.answer(packet, true);

        assertThat(outcome).isInstanceOf(Answerer.Reply.class);
        assertThat(((Answerer.Reply) outcome).wire()[3] & 0x0f).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void answer_twoPointersPointingAtEachOther_isFormerr() {
        // question name at 12 = label "a" then a pointer to 16; at 16 a pointer back to 12
        byte[] packet = {0x00, 0x08, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                1, 'a', (byte) 0xc0, 16, (byte) 0xc0, 12, 0, 1, 0, 1};

        assertThat(((Answerer.Reply) answerer.answer(packet, true)).wire()[3] & 0x0f).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void answer_shortPacketOrAResponse_isDropped() throws Exception {
        Message response = DnsClient.query("web", Type.A);
        response.getHeader().setFlag(Flags.QR);

        assertThat(answerer.answer(new byte[] {1, 2, 3}, true)).isInstanceOf(Answerer.Drop.class);
        assertThat(answerer.answer(response.toWire(), true)).isInstanceOf(Answerer.Drop.class);
    }

    @Test
    void answer_noQuestionOrOtherOpcode_isFormerrOrNotimp() {
        byte[] noQuestion = {0x00, 0x09, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] notify = {0x00, 0x0a, 0x20, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}; // opcode 4

        assertThat(((Answerer.Reply) answerer.answer(noQuestion, true)).wire()[3] & 0x0f).isEqualTo(Rcode.FORMERR);
        assertThat(((Answerer.Reply) answerer.answer(notify, true)).wire()[3] & 0x0f).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void reverseAddress_acceptsOnlyFourDecimalOctets() {
        assertThat(Answerer.reverseAddress("4.3.2.1.in-addr.arpa")).isEqualTo(MapResolver.ip("1.2.3.4"));
        assertThat(Answerer.reverseAddress("3.2.1.in-addr.arpa")).isNull();
        assertThat(Answerer.reverseAddress("256.3.2.1.in-addr.arpa")).isNull();
        assertThat(Answerer.reverseAddress("x.3.2.1.in-addr.arpa")).isNull();
        assertThat(Answerer.reverseAddress(".3.2.1.in-addr.arpa")).isNull();
        assertThat(Answerer.reverseAddress("4.3.2.1.ip6.arpa")).isNull();
    }

    @Test
    void serverFailure_echoesTheQuestion() throws Exception {
        Message query = DnsClient.query("example.org", Type.A);

        Message reply = new Message(Answerer.serverFailure(query.toWire(), true));

        assertThat(reply.getRcode()).isEqualTo(Rcode.SERVFAIL);
        assertThat(reply.getHeader().getID()).isEqualTo(query.getHeader().getID());
        assertThat(reply.getQuestion()).isEqualTo(query.getQuestion());
    }

    static Message reply(Answerer.Outcome outcome) throws Exception {
        assertThat(outcome).isInstanceOf(Answerer.Reply.class);
        return new Message(((Answerer.Reply) outcome).wire());
    }

    static List<String> addresses(Message reply) {
        return reply.getSection(Section.ANSWER).stream()
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }
}

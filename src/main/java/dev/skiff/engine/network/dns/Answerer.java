package dev.skiff.engine.network.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Decides what one query from one container gets: an answer of ours (its network's names, as Docker's embedded
 * DNS answers them), a forward to the upstream resolvers, or nothing. Pure message logic on byte arrays, so the
 * socket code stays small and this stays testable. Not thread-safe: the server's one loop thread calls it.
 */
final class Answerer {
    /** Docker's TTL for container names. */
    static final long TTL = 600;
    /** The largest UDP answer we send, whatever EDNS size a client offers; plain DNS gets 512. */
    static final int MAX_UDP_PAYLOAD = 4096;
    static final int PLAIN_UDP_PAYLOAD = 512;
    private static final int HEADER = 12;
    private static final String REVERSE_SUFFIX = ".in-addr.arpa";

    /** What to do with a query. */
    sealed interface Outcome {
    }

    /** Send these bytes back to the client. */
    record Reply(byte[] wire) implements Outcome {
    }

    /** Not one of our names: send the query as it came to an upstream. */
    record Forward() implements Outcome {
    }

    /** Not a query worth an answer (too short to carry an ID, or a response): ignore it. */
    record Drop() implements Outcome {
    }

    private final NameResolver resolver;
    private final List<String> searchDomains;
    private final boolean canForward;
    private final Rotation rotation = new Rotation();

    /**
     * @param searchDomains the container's search domains (lower-case, no dots at either end): a query for
     *                      {@code web.<domain>} is answered like one for {@code web}
     * @param canForward    whether upstream resolvers exist; without them other names get SERVFAIL
     */
    Answerer(NameResolver resolver, List<String> searchDomains, boolean canForward) {
        this.resolver = resolver;
        this.searchDomains = List.copyOf(searchDomains);
        this.canForward = canForward;
    }

    /** The outcome for {@code packet}; {@code udp} limits the answer's size (the TC bit says so). */
    Outcome answer(byte[] packet, boolean udp) {
        if (packet.length < HEADER || (packet[2] & 0x80) != 0) {
            return new Drop();
        }
        Message query;
        try {
            query = new Message(packet);
        } catch (Exception malformed) { // dnsjava's WireParseException, or anything a hostile packet provokes
            return new Reply(bareReply(packet, Rcode.FORMERR));
        }
        Header header = query.getHeader();
        if (header.getOpcode() != Opcode.QUERY) {
            return new Reply(bareReply(packet, Rcode.NOTIMP));
        }
        Record question = query.getQuestion();
        if (question == null || header.getCount(Section.QUESTION) != 1) {
            return new Reply(bareReply(packet, Rcode.FORMERR));
        }
        List<Record> answers;
        try {
            answers = ours(question);
        } catch (RuntimeException resolverFailed) {
            org.slf4j.LoggerFactory.getLogger(Answerer.class)
                    .warn("DNS: resolving {} failed", question.getName(), resolverFailed);
            return new Reply(reply(query, Rcode.SERVFAIL, List.of(), udp));
        }
        if (answers != null) {
            return new Reply(reply(query, Rcode.NOERROR, answers, udp));
        }
        return canForward ? new Forward() : new Reply(reply(query, Rcode.SERVFAIL, List.of(), udp));
    }

    /**
     * The answer for a query that was forwarded but got no usable response (timeouts, overload): SERVFAIL with
     * the question echoed. {@code packet} is a query {@link #answer} chose to forward, so it parses.
     */
    static byte[] serverFailure(byte[] packet, boolean udp) {
        try {
            return reply(new Message(packet), Rcode.SERVFAIL, List.of(), udp);
        } catch (Exception e) {
            return bareReply(packet, Rcode.SERVFAIL);
        }
    }

    /** Loads and links the message code once (a parsed query, an answer, a malformed packet). */
    static void warmUp() {
        NameResolver none = new NameResolver() {
            @Override
            public List<Inet4Address> lookup(String name) {
                return List.of((Inet4Address) InetAddress.ofLiteral("127.0.0.1"));
            }

            @Override
            public String reverse(Inet4Address address) {
                return "localhost";
            }
        };
        Answerer answerer = new Answerer(none, List.of(), true);
        try {
            for (int type : new int[] {Type.A, Type.PTR}) {
                Name name = Name.fromString("1.0.0.127.in-addr.arpa.");
                answerer.answer(Message.newQuery(Record.newRecord(name, type, DClass.IN)).toWire(), true);
            }
        } catch (TextParseException impossible) {
            throw new IllegalStateException(impossible);
        }
        answerer.answer(new byte[] {0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 63}, true);
    }

    /** Our records for {@code question}, or null when the name is not ours. */
    private List<Record> ours(Record question) {
        if (question.getDClass() != DClass.IN) {
            return null;
        }
        Name qname = question.getName();
        String name = qname.toString(true).toLowerCase(Locale.ROOT);
        switch (question.getType()) {
            case Type.A -> {
                List<Inet4Address> found = lookup(name);
                if (found.isEmpty()) {
                    return null;
                }
                List<Record> records = new ArrayList<>(found.size());
                for (Inet4Address address : rotation.rotate(name, found)) {
                    records.add(new ARecord(qname, DClass.IN, TTL, address));
                }
                return records;
            }
            case Type.AAAA -> {
                List<Inet6Address> found = lookup(name, resolver::lookup6);
                if (found.isEmpty()) {
                    // a known name without IPv6: NOERROR with no records, so clients do not go asking upstream
                    return lookup(name).isEmpty() ? null : List.of();
                }
                List<Record> records = new ArrayList<>(found.size());
                for (Inet6Address address : rotation.rotate(name + "/6", found)) {
                    records.add(new AAAARecord(qname, DClass.IN, TTL, address));
                }
                return records;
            }
            case Type.PTR -> {
                InetAddress address = reverseAddress(name);
                if (address == null) {
                    address = reverseAddress6(name);
                }
                String target = address instanceof Inet4Address v4 ? resolver.reverse(v4)
                        : address instanceof Inet6Address v6 ? resolver.reverse6(v6) : null;
                if (target == null || target.isEmpty()) {
                    return null;
                }
                try {
                    return List.of(new PTRRecord(qname, DClass.IN, TTL, Name.fromString(target, Name.root)));
                } catch (TextParseException e) {
                    throw new IllegalStateException(
                            "the resolver's name for " + address + " is not a DNS name: " + target, e);
                }
            }
            default -> {
                return null; // MX, TXT, SRV, ...: Docker forwards these too
            }
        }
    }

    private List<Inet4Address> lookup(String name) {
        return lookup(name, resolver::lookup);
    }

    /** {@code name} through {@code family}'s lookup, as asked, else without one of the container's search domains. */
    private <A> List<A> lookup(String name, java.util.function.Function<String, List<A>> family) {
        List<A> found = family.apply(name);
        if (found != null && !found.isEmpty()) {
            return found;
        }
        for (String domain : searchDomains) {
            if (name.length() > domain.length() + 1 && name.endsWith(domain)
                    && name.charAt(name.length() - domain.length() - 1) == '.') {
                found = family.apply(name.substring(0, name.length() - domain.length() - 1));
                if (found != null && !found.isEmpty()) {
                    return found;
                }
            }
        }
        return List.of();
    }

    private static final String REVERSE6_SUFFIX = ".ip6.arpa";

    /** The address of a reverse name of 32 nibbles {@code b.a.9.8...ip6.arpa}, or null when it is not one. */
    static Inet6Address reverseAddress6(String name) {
        if (!name.endsWith(REVERSE6_SUFFIX)) {
            return null;
        }
        String[] labels = name.substring(0, name.length() - REVERSE6_SUFFIX.length()).split("\\.", -1);
        if (labels.length != 32) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < 32; i++) {
            String label = labels[31 - i];
            if (label.length() != 1 || Character.digit(label.charAt(0), 16) < 0) {
                return null;
            }
            int nibble = Character.digit(label.charAt(0), 16);
            bytes[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
        }
        try {
            return (Inet6Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException | ClassCastException e) {
            return null; // an IPv4-mapped address comes back as IPv4: not one of ours
        }
    }

    /** The address of a reverse name {@code d.c.b.a.in-addr.arpa}, or null when it is not one. */
    static Inet4Address reverseAddress(String name) {
        if (!name.endsWith(REVERSE_SUFFIX)) {
            return null;
        }
        String[] labels = name.substring(0, name.length() - REVERSE_SUFFIX.length()).split("\\.", -1);
        if (labels.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String label = labels[3 - i];
            if (label.isEmpty() || label.length() > 3 || !label.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            int value = Integer.parseInt(label);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static byte[] reply(Message query, int rcode, List<Record> answers, boolean udp) {
        Header in = query.getHeader();
        Message reply = new Message(in.getID());
        Header out = reply.getHeader();
        out.setFlag(Flags.QR);
        out.setFlag(Flags.RA);
        if (in.getFlag(Flags.RD)) {
            out.setFlag(Flags.RD);
        }
        out.setRcode(rcode);
        reply.addRecord(query.getQuestion(), Section.QUESTION);
        for (Record answer : answers) {
            reply.addRecord(answer, Section.ANSWER);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            reply.addRecord(new OPTRecord(MAX_UDP_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        if (!udp) {
            return reply.toWire();
        }
        int limit = opt == null ? PLAIN_UDP_PAYLOAD
                : Math.clamp(opt.getPayloadSize(), PLAIN_UDP_PAYLOAD, MAX_UDP_PAYLOAD);
        return reply.toWire(limit); // drops whole records past the limit and sets TC
    }

    /** A header-only reply for a query we could not (or would not) parse: its ID, opcode and RD echoed. */
    private static byte[] bareReply(byte[] packet, int rcode) {
        byte[] reply = new byte[HEADER];
        reply[0] = packet[0];
        reply[1] = packet[1];
        reply[2] = (byte) (0x80 | (packet[2] & 0x79)); // QR, the query's opcode and RD
        reply[3] = (byte) (0x80 | (rcode & 0x0f)); // RA
        return reply;
    }
}

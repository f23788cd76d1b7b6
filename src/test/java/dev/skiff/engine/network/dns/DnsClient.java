package dev.skiff.engine.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;

/** A plain stub resolver for tests: one query, UDP or TCP, to one server; dnsjava only for the messages. */
final class DnsClient {
    private DnsClient() {
    }

    static Message query(String name, int type) {
        try {
            return Message.newQuery(Record.newRecord(Name.fromString(name, Name.root), type, DClass.IN));
        } catch (IOException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    static Message queryEdns(String name, int type, int payload) {
        Message m = query(name, type);
        m.addRecord(new OPTRecord(payload, 0, 0), Section.ADDITIONAL);
        return m;
    }

    static Message udp(InetSocketAddress server, Message query) throws IOException {
        byte[] answer = udpRaw(server, query.toWire());
        if (answer == null) {
            throw new IOException("no answer from " + server);
        }
        return new Message(answer);
    }

    /** Sends raw bytes; the answer's bytes, or null when none came within 3 s. */
    static byte[] udpRaw(InetSocketAddress server, byte[] packet) throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(3000);
            socket.send(new DatagramPacket(packet, packet.length, server));
            byte[] buf = new byte[65535];
            DatagramPacket reply = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(reply);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            return Arrays.copyOf(reply.getData(), reply.getLength());
        }
    }

    static Message tcp(InetSocketAddress server, Message query) throws IOException {
        try (Socket socket = new Socket(server.getAddress(), server.getPort())) {
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            byte[] wire = query.toWire();
            out.writeShort(wire.length);
            out.write(wire);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] answer = new byte[in.readUnsignedShort()];
            in.readFully(answer);
            return new Message(answer);
        }
    }
}

package dev.skiff.engine.network.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import org.xbill.DNS.Message;

/**
 * A real upstream DNS server for tests, on a loopback address and a free port (UDP and TCP on the same port):
 * answers each query with what {@code script} returns for it (null: no answer, as a dead resolver), and keeps
 * every query it got. Never anything but loopback.
 */
final class FakeUpstream implements AutoCloseable {
    /** One query as the upstream saw it. */
    record Seen(Message query, boolean tcp) {
    }

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final BiFunction<Message, Boolean, Message> script;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Thread udpThread;
    private final Thread tcpThread;

    /** {@code script} gets the query and whether it came over TCP. */
    FakeUpstream(String loopbackAddress, BiFunction<Message, Boolean, Message> script) throws IOException {
        this.script = script;
        InetAddress address = InetAddress.ofLiteral(loopbackAddress);
        udp = new DatagramSocket(new InetSocketAddress(address, 0));
        tcp = new ServerSocket();
        tcp.bind(new InetSocketAddress(address, udp.getLocalPort()));
        udpThread = Thread.ofPlatform().daemon().name("fake-upstream-udp").start(this::serveUdp);
        tcpThread = Thread.ofPlatform().daemon().name("fake-upstream-tcp").start(this::serveTcp);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) udp.getLocalSocketAddress();
    }

    private void serveUdp() {
        byte[] buf = new byte[65535];
        while (!udp.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buf, buf.length);
                udp.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                seen.add(new Seen(query, false));
                Message answer = script.apply(query, false);
                if (answer != null) {
                    byte[] wire = answer.toWire();
                    udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                // a malformed packet: a real server would drop it too
            }
        }
    }

    private void serveTcp() {
        while (!tcp.isClosed()) {
            try (Socket s = tcp.accept()) {
                s.setSoTimeout(5000);
                DataInputStream in = new DataInputStream(s.getInputStream());
                DataOutputStream out = new DataOutputStream(s.getOutputStream());
                byte[] wire = new byte[in.readUnsignedShort()];
                in.readFully(wire);
                Message query = new Message(wire);
                seen.add(new Seen(query, true));
                Message answer = script.apply(query, true);
                if (answer != null) {
                    byte[] reply = answer.toWire();
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            } catch (SocketException closed) {
                if (tcp.isClosed()) {
                    return;
                }
            } catch (IOException e) {
                // the client went away; serve the next
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        udp.close();
        try {
            tcp.close();
        } catch (IOException ignored) {
            // closing a listener
        }
        udpThread.join(2000);
        tcpThread.join(2000);
    }
}

package dev.skiff.engine.network.ports;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

/**
 * The real probe: a TCP socket bound but never listening (it takes the port from other programs without
 * accepting any connection: the container's DNAT rule sees the packets first), or a bound UDP socket.
 * Neither sets SO_REUSEADDR, so a listener already on the port makes the bind fail. SCTP is not probed.
 */
public final class SocketPortProbe implements PortProbe {
    @Override
    public Closeable reserve(String protocol, String hostIp, int port) throws IOException {
        InetSocketAddress address = hostIp.isEmpty()
                ? new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port)
                : new InetSocketAddress(InetAddress.ofLiteral(hostIp), port);
        return switch (protocol) {
            case "tcp" -> bind(SocketChannel.open(java.net.StandardProtocolFamily.INET), address);
            case "udp" -> bind(DatagramChannel.open(java.net.StandardProtocolFamily.INET), address);
            default -> () -> { };
        };
    }

    private static Closeable bind(java.nio.channels.NetworkChannel channel, InetSocketAddress address) throws IOException {
        try {
            channel.bind(address);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}

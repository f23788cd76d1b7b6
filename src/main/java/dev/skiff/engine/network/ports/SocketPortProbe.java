package dev.skiff.engine.network.ports;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Function;

/**
 * The real probe: a TCP socket bound but never listening (it takes the port from other programs without
 * accepting any connection: the container's DNAT rule sees the packets first), or a bound UDP socket.
 * Neither sets SO_REUSEADDR, so a listener already on the port makes the bind fail. SCTP is not probed.
 *
 * <p>With IPv6 relaying on ({@link #relayingIpv6}), a TCP or UDP port published on every address is held by a
 * {@link PortProxy} or {@link UdpPortProxy} instead, which serves its IPv6 side as docker-proxy does; a host without
 * IPv6 gets the plain IPv4 socket.
 */
public final class SocketPortProbe implements PortProbe {
    private final boolean relayIpv6;
    /** container id → the address its published ports forward to ("" or null: none now), asked per connection. */
    private volatile Function<String, String> addresses = id -> null;

    /** A probe that only holds ports (engine tests, tools). */
    public SocketPortProbe() {
        this(false);
    }

    private SocketPortProbe(boolean relayIpv6) {
        this.relayIpv6 = relayIpv6;
    }

    /** The daemon's: TCP and UDP ports published on every address are served on IPv6 too. */
    public static SocketPortProbe relayingIpv6() {
        return new SocketPortProbe(true);
    }

    /** Where a container's published ports lead: its address on the network that publishes them. */
    public void useAddresses(Function<String, String> addressOf) {
        this.addresses = addressOf;
    }

    @Override
    public Closeable reserve(String owner, PortBinding binding) throws IOException {
        String hostIp = binding.hostIp();
        int port = binding.hostPort();
        boolean relayable = relayIpv6 && (binding.protocol().equals("tcp") || binding.protocol().equals("udp"));
        // the IPv6 side of a port published on every address, or a port of one IPv6 address (never NATed: ::1 could
        // not be), served by the daemon's relay
        if (relayable && (hostIp.isEmpty() || hostIp.contains(":"))) {
            InetSocketAddress on = new InetSocketAddress(InetAddress.ofLiteral(hostIp.isEmpty() ? "::" : hostIp), port);
            try {
                return binding.protocol().equals("tcp") ? PortProxy.listen(on, target(owner, binding))
                        : UdpPortProxy.listen(on, target(owner, binding));
            } catch (IOException | RuntimeException e) {
                if (!hostIp.isEmpty() || !PortProxy.ipv6Unavailable(e)) {
                    throw e;
                }
                // no IPv6 on this host: the IPv4 side alone, as before
            }
        }
        InetSocketAddress address = hostIp.isEmpty()
                ? new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port)
                : new InetSocketAddress(InetAddress.ofLiteral(hostIp), port);
        boolean v6 = address.getAddress() instanceof java.net.Inet6Address;
        java.net.ProtocolFamily family = v6 ? java.net.StandardProtocolFamily.INET6 : java.net.StandardProtocolFamily.INET;
        return switch (binding.protocol()) {
            case "tcp" -> bind(SocketChannel.open(family), address);
            case "udp" -> bind(DatagramChannel.open(family), address);
            default -> () -> { };
        };
    }

    /** Where a relayed connection of {@code owner}'s port goes, asked per connection (null: nowhere now). */
    private java.util.function.Supplier<InetSocketAddress> target(String owner, PortBinding binding) {
        return () -> {
            String ip = addresses.apply(owner);
            return ip == null || ip.isEmpty() ? null : new InetSocketAddress(InetAddress.ofLiteral(ip),
                    binding.containerPort());
        };
    }

    @Override
    public boolean servesIpv6(Closeable reservation) {
        return reservation instanceof PortProxy p ? p.everyAddress()
                : reservation instanceof UdpPortProxy u && u.everyAddress();
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

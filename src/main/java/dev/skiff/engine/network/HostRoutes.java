package dev.skiff.engine.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The host's IPv4 routes, from /proc/net/route: subnets a new network must not overlap (the default route aside). */
public final class HostRoutes {
    private HostRoutes() {
    }

    public static List<Cidr> read() {
        try {
            return parse(Files.readString(Path.of("/proc/net/route")));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Parses the table: destination and mask are little-endian hex, as the kernel prints them. */
    static List<Cidr> parse(String table) {
        List<Cidr> out = new ArrayList<>();
        for (String line : table.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                int dest = Integer.reverseBytes(Integer.parseUnsignedInt(f[1], 16));
                int mask = Integer.reverseBytes(Integer.parseUnsignedInt(f[7], 16));
                int prefix = Integer.bitCount(mask);
                if (prefix > 0) {
                    out.add(new Cidr(dest, prefix));
                }
            } catch (NumberFormatException e) {
                // a line we do not understand: not a route to avoid
            }
        }
        return out;
    }

    /**
     * The IPv4 address of the host's network device {@code name} with its prefix ("172.17.0.1/16"), or null when there
     * is no such device or it has none: a default bridge left by an earlier daemon keeps its address, which the
     * next one adopts as dockerd adopts an existing docker0's.
     */
    public static String deviceAddress(String name) {
        try {
            java.net.NetworkInterface dev = java.net.NetworkInterface.getByName(name);
            if (dev == null) {
                return null;
            }
            for (java.net.InterfaceAddress a : dev.getInterfaceAddresses()) {
                if (a.getAddress() instanceof java.net.Inet4Address v4) {
                    return v4.getHostAddress() + "/" + a.getNetworkPrefixLength();
                }
            }
            return null;
        } catch (java.net.SocketException e) {
            return null;
        }
    }
}

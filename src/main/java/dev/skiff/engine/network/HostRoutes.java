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
}

package dev.skiff.engine.network;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Address management, as Docker's default IPAM does it: subnets come from Docker's default pools
 * (172.17-31.0.0/16, then 192.168.0-240.0/20), skipping any that overlaps a host route or another network;
 * container addresses come from the subnet (or its --ip-range), never the network, broadcast or gateway address.
 * Pure logic: the caller passes what is taken.
 */
public final class Ipam {
    /** Docker's default address pools, in the order it tries them. */
    static final List<Cidr> DEFAULT_POOLS = defaultPools();

    private Ipam() {
    }

    private static List<Cidr> defaultPools() {
        List<Cidr> out = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            out.add(Cidr.parse("172." + b + ".0.0/16"));
        }
        for (int c = 0; c < 256; c += 16) {
            out.add(Cidr.parse("192.168." + c + ".0/20"));
        }
        return List.copyOf(out);
    }

    /** The first default pool that overlaps nothing in {@code taken} (host routes and other networks' subnets). */
    public static Cidr chooseSubnet(Collection<Cidr> taken) {
        for (Cidr pool : DEFAULT_POOLS) {
            if (taken.stream().noneMatch(pool::overlaps)) {
                return pool;
            }
        }
        throw new UnavailableException("all predefined address pools have been fully subnetted"
                + " (remove unused networks with docker network prune, or give --subnet)");
    }

    /** A user's --subnet must not overlap another network's: Docker's message for it. */
    public static void checkNoOverlap(Cidr subnet, Collection<Cidr> otherNetworks) {
        for (Cidr other : otherNetworks) {
            if (subnet.overlaps(other)) {
                throw new ConflictException("invalid pool request: Pool overlaps with other one on this address space");
            }
        }
    }

    /**
     * Picks a container address.
     *
     * @param used      addresses of attached endpoints on this network
     * @param requested --ip, or "" for the lowest free address
     */
    public static int allocate(Network n, Set<Integer> used, String requested) {
        Cidr subnet = n.cidr();
        int gateway = n.gateway().isEmpty() ? 0 : Cidr.parseAddress(n.gateway());
        if (!requested.isEmpty()) {
            int ip = Cidr.parseAddress(requested);
            Cidr range = n.ipRange().isEmpty() ? subnet : Cidr.parse(n.ipRange());
            if (!subnet.contains(ip)) {
                throw new InvalidArgumentException("invalid endpoint settings: no configured subnet or ip-range contain"
                        + " the IP address " + requested);
            }
            if (ip == subnet.base() || ip == subnet.last() || ip == gateway || used.contains(ip)) {
                throw new ConflictException("Address already in use: " + requested + " on network " + n.name()
                        + " (choose another --ip, or leave it out)");
            }
            if (!range.contains(ip) && !subnet.contains(ip)) {
                throw new InvalidArgumentException("no configured subnet or ip-range contain the IP address " + requested);
            }
            return ip;
        }
        Cidr range = n.ipRange().isEmpty() ? subnet : Cidr.parse(n.ipRange());
        for (long off = 0; off < range.size(); off++) {
            int ip = range.at(off);
            if (ip != subnet.base() && ip != subnet.last() && ip != gateway && !used.contains(ip)) {
                return ip;
            }
        }
        throw new UnavailableException("no available IPv4 addresses on network " + n.name()
                + " (remove containers from it, or create a network with a larger --subnet)");
    }
}

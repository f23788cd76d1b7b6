package dev.skiff.engine.network;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import java.math.BigInteger;
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
    /**
     * A pool networks take their subnets from: {@code base} cut into subnets of prefix length {@code size}, tried in
     * order (dockerd's default-address-pools entry).
     */
    public record AddressPool(Cidr base, int size) {
        public AddressPool {
            if (size < base.prefix() || size > 30) {
                throw new InvalidArgumentException("invalid address pool " + base + " size " + size + ": the size is a"
                        + " prefix length from the base's (" + base.prefix() + ") to 30");
            }
        }

        /** Parses dockerd's flag form "base=10.10.0.0/16,size=24". */
        public static AddressPool parse(String text) {
            String base = null;
            Integer size = null;
            for (String part : text.split(",")) {
                String[] kv = part.split("=", 2);
                if (kv.length == 2 && kv[0].trim().equals("base")) {
                    base = kv[1].trim();
                } else if (kv.length == 2 && kv[0].trim().equals("size")) {
                    try {
                        size = Integer.parseInt(kv[1].trim());
                    } catch (NumberFormatException e) {
                        size = -1;
                    }
                } else {
                    throw new InvalidArgumentException("invalid address pool " + text + ": write it as base=10.10.0.0/16,size=24");
                }
            }
            if (base == null || size == null) {
                throw new InvalidArgumentException("invalid address pool " + text + ": it needs a base and a size"
                        + " (base=10.10.0.0/16,size=24)");
            }
            return new AddressPool(Cidr.parse(base), size);
        }

        /** The i-th subnet, or null past the last. */
        Cidr subnet(long i) {
            long count = 1L << (size - base.prefix());
            if (i >= count) {
                return null;
            }
            return new Cidr((int) ((base.base() & 0xffffffffL) + (i << (32 - size))), size);
        }
    }

    /** Docker's default address pools, in the order it tries them: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s. */
    public static final List<AddressPool> DEFAULT_POOLS = defaultPools();

    private Ipam() {
    }

    private static List<AddressPool> defaultPools() {
        List<AddressPool> out = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            out.add(new AddressPool(Cidr.parse("172." + b + ".0.0/16"), 16));
        }
        out.add(new AddressPool(Cidr.parse("192.168.0.0/16"), 20));
        return List.copyOf(out);
    }

    /** The first subnet of Docker's default pools that overlaps nothing in {@code taken}. */
    public static Cidr chooseSubnet(Collection<Cidr> taken) {
        return chooseSubnet(taken, DEFAULT_POOLS);
    }

    /** The first subnet of {@code pools} that overlaps nothing in {@code taken} (host routes, other networks). */
    public static Cidr chooseSubnet(Collection<Cidr> taken, List<AddressPool> pools) {
        for (AddressPool pool : pools) {
            Cidr c;
            for (long i = 0; (c = pool.subnet(i)) != null; i++) {
                Cidr candidate = c;
                if (taken.stream().noneMatch(candidate::overlaps)) {
                    return candidate;
                }
            }
        }
        throw new UnavailableException("all predefined address pools have been fully subnetted"
                + " (remove unused networks with docker network prune, give --subnet, or add default-address-pools)");
    }

    /** A user's --subnet must not overlap another network's: Docker's message for it. */
    public static void checkNoOverlap(Cidr subnet, Collection<Cidr> otherNetworks) {
        checkNoOverlap(subnet, otherNetworks, Cidr::overlaps);
    }

    private static <C> void checkNoOverlap(C subnet, Collection<C> otherNetworks,
                                           java.util.function.BiPredicate<C, C> overlaps) {
        for (C other : otherNetworks) {
            if (overlaps.test(subnet, other)) {
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
    public static int allocate(Network n, Set<Integer> inUse, String requested) {
        Cidr subnet = n.cidr();
        int gateway = n.gateway().isEmpty() ? 0 : Cidr.parseAddress(n.gateway());
        Set<Integer> used = inUse;
        if (!n.auxAddresses().isEmpty()) { // kept from containers, as libnetwork's IPAM keeps them allocated
            used = new java.util.HashSet<>(inUse);
            for (String aux : n.auxAddresses().values()) {
                used.add(Cidr.parseAddress(aux));
            }
        }
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

    // ---- IPv6

    /**
     * The daemon's own ULA /48 ({@code fdXX:XXXX:XXXX::/48}, RFC 4193): its 40-bit global ID taken from {@code seed}
     * (the default bridge's random, recorded id), so that it stays the same across restarts and differs between
     * hosts, as dockerd derives its default IPv6 pool from its host's identity.
     */
    public static Cidr6 ulaPrefix(String seed) {
        byte[] h;
        try {
            h = java.security.MessageDigest.getInstance("SHA-256").digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] a = new byte[16];
        a[0] = (byte) 0xfd;
        System.arraycopy(h, 0, a, 1, 5);
        return new Cidr6(new BigInteger(1, a), 48);
    }

    /**
     * The first /64 of {@code pool} that overlaps nothing in {@code taken}: what {@code --ipv6} without an IPv6
     * {@code --subnet} gets.
     */
    public static Cidr6 chooseSubnet6(Cidr6 pool, Collection<Cidr6> taken) {
        for (long i = 0; i < (1L << (64 - pool.prefix())); i++) {
            Cidr6 c = new Cidr6(pool.base().add(BigInteger.valueOf(i).shiftLeft(64)), 64);
            if (taken.stream().noneMatch(c::overlaps)) {
                return c;
            }
        }
        throw new UnavailableException("could not find an available, non-overlapping IPv6 address pool among the"
                + " defaults to assign to the network (remove unused networks with docker network prune, or give an"
                + " IPv6 --subnet)");
    }

    /** A user's IPv6 --subnet must not overlap another network's. */
    public static void checkNoOverlap6(Cidr6 subnet, Collection<Cidr6> otherNetworks) {
        checkNoOverlap(subnet, otherNetworks, Cidr6::overlaps);
    }

    /**
     * Picks a container's IPv6 address on a dual-stack network: {@code requested} (--ip6), or the lowest free one of
     * the subnet (or its IPv6 --ip-range), never the subnet-router anycast address (the base) or the gateway.
     *
     * @param used the IPv6 addresses of attached endpoints on this network
     */
    public static BigInteger allocate6(Network n, Set<BigInteger> used, String requested) {
        Network.Ipv6 v6 = n.ipv6();
        Cidr6 subnet = v6.cidr();
        BigInteger gateway = v6.gateway().isEmpty() ? null : Cidr6.parseAddress(v6.gateway());
        if (!requested.isEmpty()) {
            BigInteger ip = Cidr6.parseAddress(requested);
            if (!subnet.contains(ip)) {
                throw new InvalidArgumentException("invalid endpoint settings: no configured subnet or ip-range contain"
                        + " the IP address " + requested);
            }
            if (ip.equals(subnet.base()) || ip.equals(gateway) || used.contains(ip)) {
                throw new ConflictException("Address already in use: " + requested + " on network " + n.name()
                        + " (choose another --ip6, or leave it out)");
            }
            return ip;
        }
        Cidr6 range = v6.ipRange().isEmpty() ? subnet : Cidr6.parse(v6.ipRange());
        long limit = Math.min(range.size(), used.size() + 3L); // the base, the gateway, the used ones, then a free one
        for (long off = 0; off < limit; off++) {
            BigInteger ip = range.at(off);
            if (!ip.equals(subnet.base()) && !ip.equals(gateway) && !used.contains(ip)) {
                return ip;
            }
        }
        throw new UnavailableException("no available IPv6 addresses on network " + n.name()
                + " (remove containers from it, or give it a larger IPv6 --ip-range)");
    }
}

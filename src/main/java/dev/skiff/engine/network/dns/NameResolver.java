package dev.skiff.engine.network.dns;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;

/**
 * Answers names for one container. The embedded DNS server calls it on every query, so answers follow the
 * container's connects and disconnects without the server being told.
 */
public interface NameResolver {
    /** IPv4 addresses of {@code name} (lower-cased, no trailing dot) as this container sees it; empty: not ours, forward. */
    List<Inet4Address> lookup(String name);

    /**
     * IPv6 addresses of {@code name} as this container sees it (those on networks with IPv6); empty when it has
     * none. A name {@link #lookup} knows without IPv6 addresses is answered with no records, not forwarded.
     */
    default List<Inet6Address> lookup6(String name) {
        return List.of();
    }

    /** The name answering a PTR query for {@code address}, or null when the address is not ours (then forward). */
    String reverse(Inet4Address address);

    /** As {@link #reverse}, for an IPv6 address of a dual-stack network. */
    default String reverse6(Inet6Address address) {
        return null;
    }
}

package dev.skiff.engine.network.dns;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A network's names for tests: name to addresses, and each address back to one name. */
final class MapResolver implements NameResolver {
    private final Map<String, List<Inet4Address>> names = new ConcurrentHashMap<>();
    private final Map<Inet4Address, String> reverse = new ConcurrentHashMap<>();

    /** Adds {@code address} under {@code name} (a container name or an alias); the first name wins for PTR. */
    MapResolver add(String name, String address) {
        Inet4Address a = ip(address);
        names.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(a);
        reverse.putIfAbsent(a, name);
        return this;
    }

    private final Map<String, List<java.net.Inet6Address>> names6 = new ConcurrentHashMap<>();

    private final Map<java.net.Inet6Address, String> reverse6 = new ConcurrentHashMap<>();

    /** Adds an IPv6 {@code address} under {@code name}; the first name wins for PTR. */
    MapResolver add6(String name, String address) {
        java.net.Inet6Address a = (java.net.Inet6Address) InetAddress.ofLiteral(address);
        names6.computeIfAbsent(name, n -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(a);
        reverse6.putIfAbsent(a, name);
        return this;
    }

    @Override
    public String reverse6(java.net.Inet6Address address) {
        return reverse6.get(address);
    }

    @Override
    public List<java.net.Inet6Address> lookup6(String name) {
        return new ArrayList<>(names6.getOrDefault(name, List.of()));
    }

    @Override
    public List<Inet4Address> lookup(String name) {
        return new ArrayList<>(names.getOrDefault(name, List.of()));
    }

    @Override
    public String reverse(Inet4Address address) {
        return reverse.get(address);
    }

    static Inet4Address ip(String literal) {
        return (Inet4Address) InetAddress.ofLiteral(literal);
    }
}

package dev.skiff.engine.network;

import dev.skiff.engine.network.dns.NameResolver;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Names as one container sees them through the embedded DNS server (Docker's service discovery): on every
 * user-defined network it shares with others, a running container answers to its name, its aliases on that
 * network and its short id. Several containers with one alias give all their addresses, rotated per query
 * (round robin). Answers come from the store on every query, so they follow connects and disconnects.
 */
final class ContainerNames implements NameResolver {
    private final NetworkStore store;
    private final String containerId;
    private final Function<String, String> nameOf;
    private final AtomicInteger rotation = new AtomicInteger();
    private final java.util.Map<String, String> links;

    /** @param nameOf a container id to its name without "/" */
    ContainerNames(NetworkStore store, String containerId, Function<String, String> nameOf) {
        this(store, containerId, nameOf, java.util.Map.of());
    }

    /**
     * @param links this container's link aliases (lower case) to the linked containers' ids: names only it
     *              resolves, on the networks it shares with them (Docker's links on user-defined networks)
     */
    ContainerNames(NetworkStore store, String containerId, Function<String, String> nameOf,
                   java.util.Map<String, String> links) {
        this.store = store;
        this.containerId = containerId;
        this.nameOf = nameOf;
        this.links = java.util.Map.copyOf(links);
    }

    /** The user-defined networks this container is attached to. */
    private List<Network> networks() {
        List<Network> out = new ArrayList<>();
        for (Endpoint e : store.endpointsOf(containerId)) {
            store.get(e.networkId()).filter(n -> !n.defaultBridge() && e.attached()).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public List<Inet4Address> lookup(String name) {
        List<Inet4Address> out = new ArrayList<>(matching(name, Endpoint::ip).stream().map(ContainerNames::address).toList());
        if (out.size() > 1) {
            int shift = Math.floorMod(rotation.getAndIncrement(), out.size());
            java.util.Collections.rotate(out, -shift);
        }
        return out;
    }

    @Override
    public List<Inet6Address> lookup6(String name) {
        // the server rotates several addresses per query
        return matching(name, Endpoint::ip6).stream().map(ip -> (Inet6Address) InetAddress.ofLiteral(ip)).toList();
    }

    /**
     * The addresses ({@code addressOf}: one family's, "" for none) of the attached endpoints that answer to
     * {@code name} on the first of this container's networks where anything does, each once: dockerd's resolver
     * tries the container's networks in turn and answers from the first that knows the name, so two containers
     * that share two networks see one address of each other, not one per network (an address on a network the
     * service may not listen on).
     */
    private List<String> matching(String name, Function<Endpoint, String> addressOf) {
        String q = name.toLowerCase(Locale.ROOT);
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Network n : networks()) {
            if (!out.isEmpty()) {
                break;
            }
            // "name.network" asks for the name on that network only, as Docker allows
            String suffix = "." + n.name().toLowerCase(Locale.ROOT);
            String bare = q.endsWith(suffix) ? q.substring(0, q.length() - suffix.length()) : q;
            String linked = links.get(bare);
            for (Endpoint e : store.endpointsOn(n.id())) {
                String ip = addressOf.apply(e);
                if (e.attached() && !ip.isEmpty() && (answersTo(e, bare) || e.containerId().equals(linked))
                        && seen.add(ip)) {
                    out.add(ip);
                }
            }
        }
        return out;
    }

    private boolean answersTo(Endpoint e, String name) {
        if (e.containerId().startsWith(name) && name.length() == 12) {
            return true;
        }
        if (nameOf.apply(e.containerId()).toLowerCase(Locale.ROOT).equals(name)) {
            return true;
        }
        return e.aliases().stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(name));
    }

    @Override
    public String reverse(Inet4Address address) {
        return nameAt(address.getHostAddress(), Endpoint::ip);
    }

    @Override
    public String reverse6(Inet6Address address) {
        return nameAt(Cidr6.format(new java.math.BigInteger(1, address.getAddress())), Endpoint::ip6);
    }

    /** "container.network" of the attached endpoint whose {@code addressOf} is {@code ip}, or null. */
    private String nameAt(String ip, Function<Endpoint, String> addressOf) {
        for (Network n : networks()) {
            for (Endpoint e : store.endpointsOn(n.id())) {
                if (e.attached() && addressOf.apply(e).equals(ip)) {
                    return nameOf.apply(e.containerId()) + "." + n.name();
                }
            }
        }
        return null;
    }

    private static Inet4Address address(String ip) {
        try {
            return (Inet4Address) InetAddress.getByName(ip); // a literal: no lookup happens
        } catch (UnknownHostException e) {
            throw new IllegalStateException("bad address in the store: " + ip, e);
        }
    }
}

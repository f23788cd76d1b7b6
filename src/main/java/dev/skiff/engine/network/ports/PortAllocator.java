package dev.skiff.engine.network.ports;

import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses host ports and holds them: a fixed port must be free both of other Skiff containers (whose DNAT rules
 * hold no socket a bind test would see) and of every other program (a test bind); a random port is the next free
 * one of the ephemeral range after the last one given out, as docker's allocator walks it, so a port just freed
 * is not handed straight to the next container. A container gets all its ports or none.
 *
 * <p>Thread-safe: every method is synchronized; allocation is quick (binds only).
 */
public final class PortAllocator {
    private final EphemeralRange range;
    private final PortProbe probe;
    /** owner container id → its published ports and the sockets holding them. */
    private final Map<String, List<Held>> byOwner = new HashMap<>();
    /** Per protocol, the last random port given out; the next search starts after it. */
    private final Map<String, Integer> cursor = new HashMap<>();

    private record Held(PortBinding binding, Closeable reservation) {
    }

    public PortAllocator(EphemeralRange range, PortProbe probe) {
        this.range = range;
        this.probe = probe;
    }

    /**
     * Gives {@code owner} a host port for every request, or none of them: on failure every port taken so far is
     * let go and a ConflictException carries docker's message ("Bind for 0.0.0.0:8080 failed: port is already
     * allocated"). An owner that already holds ports keeps them and gets the new ones added.
     */
    public synchronized List<PortBinding> allocate(String owner, List<PortRequest> requests) {
        List<Held> taken = new ArrayList<>();
        try {
            for (PortRequest r : requests) {
                taken.add(r.fixed() ? fixed(owner, r, taken) : search(owner, r, taken));
            }
        } catch (RuntimeException e) {
            taken.forEach(PortAllocator::close);
            throw e;
        }
        byOwner.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(taken);
        return taken.stream().map(Held::binding).toList();
    }

    /**
     * Takes over ports a container already publishes (a daemon restart): they are recorded as held even when the
     * test bind fails (the container's rules are still in place), and bound again when possible.
     */
    public synchronized void adopt(String owner, List<PortBinding> bindings) {
        List<Held> held = byOwner.computeIfAbsent(owner, k -> new ArrayList<>());
        for (PortBinding b : bindings) {
            Closeable reservation;
            try {
                reservation = probe.reserve(owner, b);
            } catch (IOException e) {
                reservation = () -> { };
            }
            held.add(new Held(b, reservation));
        }
    }

    /** Lets go of every port of {@code owner}; nothing happens when it holds none. */
    public synchronized void release(String owner) {
        List<Held> held = byOwner.remove(owner);
        if (held != null) {
            held.forEach(PortAllocator::close);
        }
    }

    public synchronized List<PortBinding> held(String owner) {
        List<Held> held = byOwner.get(owner);
        return held == null ? List.of() : held.stream().map(Held::binding).toList();
    }

    /**
     * As {@link #held}, with a "::" binding after each one whose port is also served on the host's IPv6 addresses,
     * as dockerd lists a port published on every address (0.0.0.0 and ::).
     */
    public synchronized List<PortBinding> shown(String owner) {
        List<Held> held = byOwner.get(owner);
        if (held == null) {
            return List.of();
        }
        List<PortBinding> out = new ArrayList<>();
        for (Held h : held) {
            PortBinding b = h.binding();
            out.add(b);
            if (probe.servesIpv6(h.reservation())) {
                out.add(new PortBinding(b.protocol(), b.containerPort(), "::", b.hostPort()));
            }
        }
        return out;
    }

    public synchronized java.util.Set<String> owners() {
        return java.util.Set.copyOf(byOwner.keySet());
    }

    private Held fixed(String owner, PortRequest r, List<Held> pending) {
        int port = r.hostPortLow();
        if (heldBySkiff(r.protocol(), r.hostIp(), port, pending)) {
            throw alreadyAllocated(r.hostSide());
        }
        try {
            PortBinding b = binding(r, port);
            return new Held(b, probe.reserve(owner, b));
        } catch (IOException e) {
            throw notOurAddress(r, e) ? unknownAddress(r, port, e) : alreadyAllocated(r.hostSide());
        }
    }

    /** The bind failed because the host has no such address, not because the port is taken. */
    private static boolean notOurAddress(PortRequest r, IOException e) {
        return !r.hostIp().isEmpty() && e.getMessage() != null && e.getMessage().contains("assign requested address");
    }

    private static InvalidArgumentException unknownAddress(PortRequest r, int port, IOException e) {
        return new InvalidArgumentException("listen " + r.protocol() + "4 " + r.hostIp() + ":" + port + ": bind: "
                + "cannot assign requested address (" + r.hostIp() + " is not an address of this host; publish on one "
                + "of its addresses, or leave the address out for all of them)");
    }

    /** A random port: from the ephemeral range, or from the request's own range ("8000-8010:80"). */
    private Held search(String owner, PortRequest r, List<Held> pending) {
        int first = r.ephemeral() ? range.first() : r.hostPortLow();
        int last = r.ephemeral() ? range.last() : r.hostPortHigh();
        int size = last - first + 1;
        int start = first;
        if (r.ephemeral()) {
            Integer previous = cursor.get(r.protocol());
            start = previous == null || previous >= last || previous < first ? first : previous + 1;
        }
        for (int i = 0; i < size; i++) {
            int port = first + Math.floorMod(start - first + i, size);
            if (heldBySkiff(r.protocol(), r.hostIp(), port, pending)) {
                continue;
            }
            try {
                PortBinding b = binding(r, port);
                Held h = new Held(b, probe.reserve(owner, b));
                if (r.ephemeral()) {
                    cursor.put(r.protocol(), port);
                }
                return h;
            } catch (IOException e) {
                if (notOurAddress(r, e)) {
                    throw unknownAddress(r, port, e);
                }
                // taken by another program: try the next one
            }
        }
        if (r.ephemeral()) {
            throw new ConflictException("all ports are allocated (the ephemeral range " + range.first() + "-"
                    + range.last() + " of " + EphemeralRange.KERNEL_FILE + " has no free " + r.protocol()
                    + " port; stop containers that publish ports, or widen the range)");
        }
        throw alreadyAllocated(r.hostSide());
    }

    /** Two bindings clash on one protocol and port when either covers every address or both name the same one. */
    private boolean heldBySkiff(String protocol, String hostIp, int port, List<Held> pending) {
        for (List<Held> list : byOwner.values()) {
            if (clashes(list, protocol, hostIp, port)) {
                return true;
            }
        }
        return clashes(pending, protocol, hostIp, port);
    }

    private static boolean clashes(List<Held> list, String protocol, String hostIp, int port) {
        for (Held h : list) {
            PortBinding b = h.binding();
            if (b.hostPort() == port && b.protocol().equals(protocol)
                    && (b.hostIp().isEmpty() || hostIp.isEmpty() || b.hostIp().equals(hostIp))) {
                return true;
            }
        }
        return false;
    }

    private static PortBinding binding(PortRequest r, int port) {
        return new PortBinding(r.protocol(), r.containerPort(), r.hostIp(), port);
    }

    static ConflictException alreadyAllocated(String hostSide) {
        return new ConflictException("Bind for " + hostSide + " failed: port is already allocated"
                + " (choose another host port, or stop the container or program that uses it)");
    }

    private static void close(Held h) {
        try {
            h.reservation().close();
        } catch (IOException e) {
            // a socket that will not close is already gone from our side
        }
    }
}

package dev.skiff.engine.network.ports;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.sys.Sqlite;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The published ports of the daemon's containers: resolved and allocated when a container starts, held while it
 * runs, let go when it stops or is removed, and taken over again after a daemon restart. The network driver gets
 * the list {@link #resolve} returns for its attach (CNI portmap); the API shows {@link #of} in inspect and ps.
 */
public final class PortBindings {
    private final PortAllocator allocator;
    /** null: nothing survives the daemon (tests and tools without a database). */
    private final PortTable table;
    /** The daemon's probe, which relays IPv6 to the containers' addresses; null when the ports are only held. */
    private final SocketPortProbe relay;

    public PortBindings(PortAllocator allocator, PortTable table) {
        this(allocator, table, null);
    }

    private PortBindings(PortAllocator allocator, PortTable table, SocketPortProbe relay) {
        this.allocator = allocator;
        this.table = table;
        this.relay = relay;
        if (table != null) {
            table.all().forEach(allocator::adopt);
        }
    }

    /**
     * The daemon's: ports from the kernel's ephemeral range, held by real sockets, recorded in {@code db}; TCP ports
     * published on every address are also served on the host's IPv6 addresses once {@link #useAddresses} says
     * where they lead.
     */
    public static PortBindings open(Sqlite db) {
        SocketPortProbe probe = SocketPortProbe.relayingIpv6();
        return new PortBindings(new PortAllocator(EphemeralRange.fromKernel(), probe), new PortTable(db), probe);
    }

    /**
     * Where the IPv6 side of a container's published ports leads: {@code addressOf} gives its address on the network
     * that publishes them ("" or null while it has none). Asked per connection, so it may come after the ports a
     * restarted daemon took over.
     */
    public void useAddresses(java.util.function.Function<String, String> addressOf) {
        if (relay != null) {
            relay.useAddresses(addressOf);
        }
    }

    private volatile String defaultBridgeIp = "";

    /**
     * The daemon's --ip (daemon.json "ip"): where the default bridge's containers publish ports given no address;
     * "" or 0.0.0.0 for every address (the default). User networks keep every address, as with dockerd.
     */
    public void useDefaultBridgeIp(String ip) {
        this.defaultBridgeIp = ip == null || ip.equals("0.0.0.0") ? "" : ip;
    }

    /** Without a database (engine tests): ports are still tested and held, but forgotten with the process. */
    public static PortBindings inMemory() {
        return new PortBindings(new PortAllocator(EphemeralRange.fromKernel(), new SocketPortProbe()), null);
    }

    /**
     * Allocates the host ports {@code containerId} publishes (none: an empty list) and records them; any ports it
     * still held are let go first. A taken port fails the whole call with docker's message.
     *
     * @param name the container's name, for the error message
     */
    public List<PortBinding> resolve(String containerId, String name, ObjectNode config, ObjectNode hostConfig) {
        List<PortRequest> requests = PortRequests.of(config, hostConfig);
        String ip = defaultBridgeIp;
        if (!ip.isEmpty() && "bridge".equals(hostConfig.path("NetworkMode").asText(""))) {
            // dockerd's --ip: the default bridge's host_binding_ipv4, for ports published without an address
            requests = requests.stream().map(r -> r.hostIp().isEmpty() ? new PortRequest(r.protocol(), r.containerPort(), ip,
                    r.hostPortLow(), r.hostPortHigh()) : r).toList();
        }
        release(containerId);
        if (requests.isEmpty()) {
            return List.of();
        }
        List<PortBinding> bindings;
        try {
            bindings = allocator.allocate(containerId, requests);
        } catch (ConflictException e) {
            throw new ConflictException("failed to set up container networking: driver failed programming external "
                    + "connectivity on endpoint " + name + " (" + containerId + "): " + e.getMessage(), e);
        }
        if (table != null) {
            try {
                table.put(containerId, bindings);
            } catch (RuntimeException e) {
                allocator.release(containerId);
                throw e;
            }
        }
        return bindings;
    }

    /**
     * The ports {@code containerId} publishes now, as inspect and ps show them (a "::" entry beside each served on
     * IPv6 too); empty when it publishes none or is not running.
     */
    public List<PortBinding> of(String containerId) {
        return allocator.shown(containerId);
    }

    /** Lets the ports of {@code containerId} go (it stopped or was removed); harmless when it holds none. */
    public void release(String containerId) {
        allocator.release(containerId);
        if (table != null) {
            table.remove(containerId);
        }
    }

    /** After a daemon restart: ports of containers that no longer run are let go. */
    public void retainOnly(Set<String> runningIds) {
        for (String owner : allocator.owners()) {
            if (!runningIds.contains(owner)) {
                release(owner);
            }
        }
        if (table != null) {
            for (Map.Entry<String, List<PortBinding>> e : table.all().entrySet()) {
                if (!runningIds.contains(e.getKey())) {
                    table.remove(e.getKey());
                }
            }
        }
    }
}

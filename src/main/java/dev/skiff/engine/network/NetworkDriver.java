package dev.skiff.engine.network;

import dev.skiff.engine.network.ports.PortBinding;
import java.nio.file.Path;
import java.util.List;

/**
 * Wires containers into one kind of network. Lifecycle per network: {@link #setUp} (idempotent; again at every
 * daemon start) → ({@link #attach} → {@link #detach})* per endpoint → {@link #tearDown} when the network is
 * removed. Addresses are chosen by the caller (see {@link Ipam}); the driver only puts them in place.
 */
public interface NetworkDriver {
    /** The Docker driver name it implements ("bridge"). */
    String name();

    /** Makes the host-side pieces the network needs (bridge rules, masquerading); safe to call again. */
    void setUp(Network network);

    /**
     * Puts an interface {@code ifName} with {@code address} into the namespace at {@code netns}, and publishes
     * {@code ports} on the host. On failure nothing of this attach is left.
     */
    Attachment attach(Network network, AttachRequest request);

    /**
     * Undoes an attach; idempotent. {@code request.netns()} is null when the namespace is already gone (the
     * container's process exited and its namespace file was removed): then only what lives outside it is undone.
     */
    void detach(Network network, AttachRequest request);

    /**
     * Verifies an attach is still in place (after a daemon restart); throws, saying what is wrong, when not.
     *
     * @param state what {@link Attachment#state()} said at attach
     */
    void check(Network network, AttachRequest request, String state);

    /** Removes the host-side pieces of the network (its bridge device, its rules). */
    void tearDown(Network network);

    /**
     * The network's record changed under it (the default bridge, re-made at a daemon start from new settings): undo
     * what {@code before} had that {@code after} has not. {@link #setUp} adds what is new.
     */
    default void reconfigured(Network before, Network after) {
    }

    /**
     * One container's endpoint on one network.
     *
     * @param containerId the CNI container id
     * @param address     "172.18.0.2"
     * @param mac         the MAC to give the interface, or "" for the driver's choice
     * @param address6    "fd00:1::2" on a network with IPv6, else ""
     */
    record AttachRequest(String containerId, Path netns, String ifName, String address, String mac,
                         List<PortBinding> ports, String address6) {
        public AttachRequest {
            ports = List.copyOf(ports);
            address6 = address6 == null ? "" : address6;
        }

        /** An IPv4-only attach. */
        public AttachRequest(String containerId, Path netns, String ifName, String address, String mac,
                             List<PortBinding> ports) {
            this(containerId, netns, ifName, address, mac, ports, "");
        }
    }

    /**
     * What an attach made: the container interface's MAC address, and the driver's own record of the attach
     * (kept with the endpoint, handed back to {@link #check}).
     */
    record Attachment(String mac, String state) {
    }
}

package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.SkiffException;
import dev.skiff.errors.UnavailableException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The container engine's view of networks (the network package implements it). A container's endpoints are
 * recorded at create, wired into a fresh network namespace at every start (while the runtime creates the
 * container, before its process runs), unwired when its process is gone, and forgotten with the container.
 * Lifecycle: {@link #create} → ({@link #attach} → {@link #detach})* → {@link #remove}.
 */
public interface ContainerNetworking {
    /**
     * Checks HostConfig.NetworkMode and NetworkingConfig.EndpointsConfig (networks exist, settings are valid)
     * and records the container's endpoints. On failure nothing is recorded.
     */
    void create(String containerId, ObjectNode hostConfig, ObjectNode networkingConfig);

    /**
     * Readies the container's network for a start: for bridge networks a network namespace with an address per
     * network, its interfaces wired in the background (see {@link Sandbox#awaitWired}) so that the runtime can
     * create the container meanwhile. Returns null when the container has no namespace of its own to set up
     * (network none, host, container:ID), so the runtime handles it as before.
     */
    Sandbox attach(Container c);

    /** The container's process is gone: its interfaces and addresses are released. Idempotent. */
    void detach(String containerId);

    /** The container is removed: its endpoints are forgotten (after a detach). */
    void remove(String containerId);

    /**
     * At daemon start, after containers were reconciled: {@code running} keep their wiring, the other
     * {@code existing} containers' is released, and endpoints of containers not in {@code existing} are dropped.
     */
    void reconcile(Set<String> running, Set<String> existing);

    /**
     * Inspect's NetworkSettings; {@code full} adds the top-level legacy fields (container inspect, not ps).
     * Null when the container has no endpoints (none, host, container:ID).
     */
    ObjectNode networkSettings(Container c, boolean full);

    /** Names and ids of the networks the container is on, for ps --filter network=. */
    List<String> networkNamesAndIds(String containerId);

    /**
     * Publishes {@code action} ("connect", "disconnect") on the predefined network of a container in the host or
     * none mode, which has no endpoint to publish it, as dockerd does when such a container starts and stops.
     */
    default void predefinedNetworkEvent(String action, Container c) {
    }

    /** The id of the predefined network {@code name} ("host", "none"), or "" when there is none. */
    default String predefinedNetworkId(String name) {
        return "";
    }

    /**
     * The EndpointID shown for a running container in the host or none mode, which has no endpoint record:
     * derived from the two ids, so network inspect and container inspect show the same one every time.
     */
    static String derivedEndpointId(String networkId, String containerId) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((networkId + "/" + containerId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(d);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What "host-gateway" in --add-host stands for: the default bridge's gateway address, or "". */
    default String hostGateway() {
        return "";
    }

    /**
     * What a started container's /etc files need from its network, and its wiring under way.
     *
     * @param netns          the namespace file to pass to the runtime
     * @param address        the container's address on its first network (for /etc/hosts)
     * @param gateway        that network's gateway (host-gateway in --add-host)
     * @param aliases        extra names of the container for its own /etc/hosts line
     * @param embeddedDns    whether /etc/resolv.conf points at the embedded DNS server (user-defined networks)
     * @param wired          completes when every interface is in the namespace; after a failure the caller
     *                       {@link #detach}es the container, which releases what was wired
     * @param address6       its IPv6 address on its first network when that has IPv6 (for /etc/hosts), else ""
     */
    record Sandbox(String netns, String address, String gateway, List<String> aliases, boolean embeddedDns,
                   CompletableFuture<Void> wired, String address6) {
        public Sandbox {
            address6 = address6 == null ? "" : address6;
        }

        /** A sandbox wired already, without IPv6. */
        public Sandbox(String netns, String address, String gateway, List<String> aliases, boolean embeddedDns) {
            this(netns, address, gateway, aliases, embeddedDns, CompletableFuture.completedFuture(null), "");
        }

        /**
         * Waits for the wiring; the driver's error is thrown as it was raised (any other as an InternalException,
         * so that the start's cleanup sees a SkiffException). The process must not start before.
         */
        public void awaitWired() {
            try {
                wired.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof SkiffException s) {
                    throw s;
                }
                throw new InternalException("wiring the network namespace " + netns + " failed: " + e.getCause(),
                        e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnavailableException("interrupted while wiring the network namespace " + netns, e);
            }
        }

        /** Waits for the wiring to end, well or not: a failed start releases the network only after. */
        public void awaitQuietly() {
            try {
                awaitWired();
            } catch (RuntimeException e) {
                // the start failed already; the caller releases what is left
            }
        }
    }

    /** No network service: every container gets a namespace with loopback only (or host / container:ID). */
    ContainerNetworking NONE = new ContainerNetworking() {
        @Override
        public void create(String containerId, ObjectNode hostConfig, ObjectNode networkingConfig) {
        }

        @Override
        public Sandbox attach(Container c) {
            return null;
        }

        @Override
        public void detach(String containerId) {
        }

        @Override
        public void remove(String containerId) {
        }

        @Override
        public void reconcile(Set<String> running, Set<String> existing) {
        }

        @Override
        public ObjectNode networkSettings(Container c, boolean full) {
            return null;
        }

        @Override
        public List<String> networkNamesAndIds(String containerId) {
            return List.of();
        }
    };
}

package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.Container;
import dev.skiff.engine.ContainerNetworking;
import dev.skiff.engine.EventBus;
import dev.skiff.engine.network.ports.PortBinding;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.unix.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine seam of networks: a container's endpoints are recorded at create and wired at start into a
 * namespace file {@code <exec-root>/netns/<id>} that the runtime joins. Every address is allocated in the store
 * before the driver is asked, so two starts never get the same one, and a crash leaves a record of what to release.
 */
public final class ContainerNetworks implements ContainerNetworking {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerNetworks.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NetworkStore store;
    private final NetworkDriver driver;
    private final Path netnsDir;
    private final Set<String> setUp = ConcurrentHashMap.newKeySet();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Object allocation = new Object();

    /**
     * The lock under which endpoints are recorded and given addresses, and under which a network's removal checks
     * for them and deletes its records ({@link NetworkService#remove}): one or the other comes first, never both.
     */
    Object membership() {
        return allocation;
    }
    private volatile Function<Container, List<PortBinding>> ports = c -> List.of();
    private final ContainerDns dns;

    /** The embedded DNS server as networks use it: {@code EmbeddedDns::serve} fits. */
    @FunctionalInterface
    public interface DnsServer {
        /**
         * Serves 127.0.0.11:53 in {@code netns} until the returned handle is closed; {@code fresh}: the namespace
         * was just made (not served before).
         */
        AutoCloseable serve(Path netns, dev.skiff.engine.network.dns.NameResolver resolver,
                            List<java.net.InetSocketAddress> upstreams, List<String> searchDomains, boolean fresh);
    }

    /**
     * What DNS for containers needs besides the server.
     *
     * @param containers resolves a container id (for its name and its --dns settings)
     * @param hostResolv the host's resolv.conf: its servers are the default upstreams (reached from the daemon's
     *                   own namespace, so a loopback stub works) and its search domains the default ones
     */
    public record Dns(DnsServer server, Function<String, Container> containers, Path hostResolv,
                      java.util.function.Consumer<Container> pointResolvConfAtServer) {
        public Dns(DnsServer server, Function<String, Container> containers, Path hostResolv) {
            this(server, containers, hostResolv, c -> { });
        }
    }

    /**
     * A running container whose first network is the default bridge and that is connected to a user-defined
     * network gets the embedded DNS server then, as Docker's: served in its namespace, its resolv.conf pointed at
     * 127.0.0.11.
     */
    void dnsOnConnect(Container c, Network n) {
        if (n.defaultBridge() || dns.serving(c.id())) {
            return;
        }
        Path netns = netnsPath(c.id());
        if (dns.serve(c, netns, n, false)) {
            dns.pointResolvConf(c);
        }
    }

    /** Wires the embedded DNS server in: containers on user-defined networks resolve each other by name. */
    public void useDns(Dns d) {
        dns.use(d);
    }

    private final EventBus events;

    public ContainerNetworks(NetworkStore store, NetworkDriver driver, Path netnsDir, EventBus events) {
        this.events = events;
        this.store = store;
        this.driver = driver;
        this.netnsDir = netnsDir;
        this.dns = new ContainerDns(store);
    }

    /** Where published ports come from (the ports package plugs in here); without it nothing is published. */
    public void usePorts(Function<Container, List<PortBinding>> resolver) {
        this.ports = resolver;
    }

    NetworkStore store() {
        return store;
    }

    NetworkDriver driver() {
        return driver;
    }

    /** A network whose bridge is being torn down: its next endpoint (if its removal fails) sets it up again. */
    void tornDown(String networkId) {
        setUp.remove(networkId);
    }

    /**
     * The address {@code containerId}'s published ports lead to: that of its endpoint that publishes them, while it
     * is attached; null otherwise.
     */
    public String publishingAddress(String containerId) {
        for (Endpoint e : store.endpointsOf(containerId)) {
            if (e.attached() && !e.ports().isEmpty()) {
                return e.ip();
            }
        }
        return null;
    }

    /** The namespace file of a container's bridge networking. */
    public Path netnsPath(String containerId) {
        return netnsDir.resolve(containerId);
    }

    Object lock(String containerId) {
        return locks.computeIfAbsent(containerId, k -> new Object());
    }

    /** Resolves a network by full id, name, or unique id prefix; Docker's "not found" otherwise. */
    Network resolve(String idOrName) {
        return NetworkService.resolve(store, idOrName);
    }

    // ---- create

    @Override
    public void create(String containerId, ObjectNode hostConfig, ObjectNode networkingConfig) {
        String mode = hostConfig.path("NetworkMode").asText("bridge");
        if (mode.isEmpty() || mode.equals("default")) {
            mode = "bridge";
        }
        JsonNode endpoints = networkingConfig == null ? null : networkingConfig.path("EndpointsConfig");
        if (Network.isEndpointlessMode(mode)) {
            if (endpoints != null && endpoints.size() > 0 && !(endpoints.size() == 1
                    && (endpoints.has(mode) || endpoints.has("default")))) {
                throw new InvalidArgumentException("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
            }
            if (endpoints != null) {
                for (JsonNode e : endpoints) {
                    JsonNode ipam = e.path("IPAMConfig");
                    if (!ipam.path("IPv4Address").asText("").isEmpty() || !ipam.path("IPv6Address").asText("").isEmpty()) {
                        // dockerd's words: --ip names an address on a network, and none, host or container:X has none
                        throw new InvalidArgumentException("user specified IP address is supported on user defined networks only");
                    }
                }
            }
            return;
        }
        // under the lock a network's removal takes: the endpoints are recorded on networks that exist, and a removal
        // after this sees them
        synchronized (allocation) {
            recordEndpoints(containerId, mode, endpoints);
        }
    }

    private void recordEndpoints(String containerId, String mode, JsonNode endpoints) {
        Network primary = resolveForCreate(mode);
        if (!primary.bridgeDriver()) {
            return; // "host" or "none" named by id
        }
        List<Endpoint> made = new ArrayList<>();
        made.add(endpointFor(containerId, primary, endpoints == null ? null : endpointConfig(endpoints, primary), 0));
        if (endpoints != null) {
            for (Map.Entry<String, JsonNode> e : endpoints.properties()) {
                Network n = resolveForCreate(e.getKey().equals("default") ? "bridge" : e.getKey());
                if (n.id().equals(primary.id())) {
                    continue;
                }
                if (!n.bridgeDriver()) {
                    throw new InvalidArgumentException("conflicting options: cannot attach both user-defined and non-user-defined network-modes");
                }
                if (made.stream().noneMatch(m -> m.networkId().equals(n.id()))) {
                    made.add(endpointFor(containerId, n, e.getValue(), made.size()));
                }
            }
        }
        made.forEach(store::putEndpoint);
    }

    /**
     * A network a new container names, or a 400 with dockerd's words: a 404 from create tells the docker CLI the
     * image is missing, and it would pull the image and show that pull's failure instead ("Unable to find image").
     */
    private Network resolveForCreate(String idOrName) {
        try {
            return resolve(idOrName);
        } catch (NotFoundException e) {
            throw new InvalidArgumentException(e.getMessage());
        }
    }

    private static JsonNode endpointConfig(JsonNode endpoints, Network n) {
        for (String key : n.defaultBridge() ? List.of(n.name(), n.id(), "default") : List.of(n.name(), n.id())) {
            if (endpoints.has(key)) {
                return endpoints.get(key);
            }
        }
        return null;
    }

    /** A new, unattached endpoint from EndpointsConfig[network] (IPAMConfig.IPv4Address, Aliases, MacAddress). */
    Endpoint endpointFor(String containerId, Network n, JsonNode cfg, int index) {
        String ip = cfg == null ? "" : cfg.path("IPAMConfig").path("IPv4Address").asText("");
        List<String> aliases = new ArrayList<>();
        String mac = cfg == null ? "" : cfg.path("MacAddress").asText("");
        if (cfg != null) {
            cfg.path("Aliases").forEach(a -> aliases.add(a.asText()));
        }
        if (!ip.isEmpty()) {
            if (n.defaultBridge() || !n.userSubnet()) {
                throw new InvalidArgumentException(
                        "user specified IP address is supported only when connecting to networks with user configured subnets");
            }
            int addr = Cidr.parseAddress(ip);
            if (!n.cidr().contains(addr)) {
                throw new InvalidArgumentException("invalid endpoint settings:\nno configured subnet or ip-range contain the IP address " + ip);
            }
        }
        String ip6 = cfg == null ? "" : cfg.path("IPAMConfig").path("IPv6Address").asText("");
        if (!ip6.isEmpty()) {
            if (!n.enableIpv6()) {
                throw new InvalidArgumentException("invalid endpoint settings: --ip6 " + ip6 + " names an IPv6 address,"
                        + " and network " + n.name() + " has no IPv6 (create it with --ipv6)");
            }
            if (!n.ipv6().userSubnet()) {
                throw new InvalidArgumentException(
                        "user specified IP address is supported only when connecting to networks with user configured subnets");
            }
            if (!n.ipv6().cidr().contains(Cidr6.parseAddress(ip6))) {
                throw new InvalidArgumentException("invalid endpoint settings:\nno configured subnet or ip-range contain the IP address " + ip6);
            }
            ip6 = Cidr6.canonical(ip6);
        }
        if (!aliases.isEmpty() && n.defaultBridge()) {
            throw new InvalidArgumentException("network-scoped alias is supported only for containers in user defined networks");
        }
        if (!mac.isEmpty() && !mac.toLowerCase().matches("([0-9a-f]{2}:){5}[0-9a-f]{2}")) {
            throw new InvalidArgumentException("invalid MAC address: " + mac);
        }
        String ifName = "eth" + index;
        byte[] idBytes = new byte[32];
        RANDOM.nextBytes(idBytes);
        return new Endpoint(containerId, n.id(), HexFormat.of().formatHex(idBytes), aliases, ip, mac.toLowerCase(), "", "",
                ifName, List.of(), null, ip6, "");
    }

    /** The next free interface name of a container (for connect). */
    String nextIfName(String containerId) {
        Set<String> used = new HashSet<>();
        store.endpointsOf(containerId).forEach(e -> used.add(e.ifName()));
        for (int i = 0; ; i++) {
            if (!used.contains("eth" + i)) {
                return "eth" + i;
            }
        }
    }

    // ---- start / exit

    @Override
    public Sandbox attach(Container c) {
        // the endpoints are read under the lock that connect and disconnect hold: one connected meanwhile is either
        // in this list or finds the namespace made and wires itself in (it was recorded but never wired before)
        synchronized (lock(c.id())) {
            List<Endpoint> endpoints = store.endpointsOf(c.id());
            if (endpoints.isEmpty() && store.unattached(c.id())) {
                return null; // disconnected from every network by hand: loopback only, as with dockerd
            }
            if (endpoints.isEmpty()) {
                // made before networks were wired in, or its network was removed while it was stopped: it joins its
                // NetworkMode's network now, or fails as Docker does ("network X not found")
                create(c.id(), c.hostConfig(), null);
                endpoints = store.endpointsOf(c.id());
                if (endpoints.isEmpty()) {
                    return null;
                }
            }
            Path netns = netnsPath(c.id());
            releaseAll(c.id()); // leftovers of an earlier run the exit path could not release
            try {
                NetNs.create(netns);
            } catch (IOException e) {
                throw new UnavailableException("cannot create the network namespace of container " + c.shortName()
                        + ": " + e.getMessage(), e);
            }
            // the ports are published on the first network with a way out, as dockerd's gateway endpoint takes
            // them; a container on internal networks alone publishes none (dockerd maps nothing there either,
            // and a mapping would be a way around --internal)
            Endpoint gateway = endpoints.stream()
                    .filter(e -> store.get(e.networkId()).map(n -> !n.internal()).orElse(true))
                    .findFirst().orElse(null);
            List<PortBinding> published = gateway == null ? List.of() : ports.apply(c);
            List<Endpoint> allocated = new ArrayList<>();
            try {
                for (Endpoint e : endpoints) {
                    allocated.add(allocate(e, e == gateway ? published : List.of(), shownName(c, e)));
                }
            } catch (RuntimeException e) {
                releaseAll(c.id());
                throw e;
            }
            Endpoint first = allocated.getFirst();
            Network n = store.get(first.networkId()).orElseThrow();
            List<String> aliases = new ArrayList<>(first.aliases());
            // the server listens on the namespace's loopback, up since its creation: no interface needed
            boolean embedded = !n.defaultBridge() && dns.serve(c, netns, n, true);
            // The driver's work (the CNI plugins: ~12 ms) runs beside the runtime's create; the start waits for it.
            CompletableFuture<Void> wired = new CompletableFuture<>();
            Thread.ofVirtual().name("wire-" + c.shortName()).start(() -> wireAll(c.id(), allocated, netns, wired));
            return new Sandbox(netns.toString(), first.ip(), n.gateway(), aliases, embedded, wired, first.ip6());
        }
    }

    /**
     * Wires the allocated endpoints into {@code netns}. A failure is only reported: the namespace stays for the
     * runtime's create, which may be joining it right now, and the failed start detaches (releases) it all after.
     */
    private void wireAll(String containerId, List<Endpoint> allocated, Path netns, CompletableFuture<Void> wired) {
        synchronized (lock(containerId)) {
            try {
                for (Endpoint e : allocated) {
                    wire(e, netns);
                }
                wired.complete(null);
            } catch (RuntimeException | Error e) {
                wired.completeExceptionally(e);
            }
        }
    }

    /**
     * A namespace on the default bridge for a build step ({@code stepId}: 64 hex characters), recorded like a
     * container's endpoint so that a crash mid-build is released by {@link #reconcile} (the id is no container's).
     * Released with {@link #remove}.
     *
     * @return the namespace and address, or null when there is no default bridge
     */
    public Sandbox attachStep(String stepId) {
        return attachStep(stepId, null);
    }

    /**
     * As {@link #attachStep(String)} on {@code network} (a name, a full ID or a unique ID prefix; null for the
     * default bridge), as dockerd's classic builder puts its step containers on `docker build --network NAME`: a
     * user-defined network's step gets the embedded DNS, so it reaches the network's containers by name.
     *
     * @throws NotFoundException "network NAME not found", as dockerd's
     */
    public Sandbox attachStep(String stepId, String network) {
        Network bridge = network == null
                ? store.all().stream().filter(Network::defaultBridge).findFirst().orElse(null)
                : stepNetwork(network);
        if (bridge == null) {
            return null;
        }
        synchronized (lock(stepId)) {
            Endpoint e = endpointFor(stepId, bridge, null, 0);
            store.putEndpoint(e);
            Path netns = netnsPath(stepId);
            try {
                NetNs.create(netns);
                Endpoint wired = attachOne(e, netns, List.of());
                boolean embedded = !bridge.defaultBridge() && dns.serveStep(stepId, netns, bridge);
                return new Sandbox(netns.toString(), wired.ip(), bridge.gateway(), List.of(), embedded,
                        java.util.concurrent.CompletableFuture.completedFuture(null), wired.ip6());
            } catch (IOException | RuntimeException ex) {
                releaseAll(stepId);
                store.deleteEndpoint(stepId, bridge.id());
                throw ex instanceof RuntimeException r ? r : new UnavailableException(
                        "cannot create the network namespace of build step " + stepId.substring(0, 12) + ": "
                                + ex.getMessage(), ex);
            }
        }
    }

    private Network stepNetwork(String nameOrId) {
        Optional<Network> byName = store.byName(nameOrId);
        if (byName.isPresent()) {
            return requireBridge(byName.get(), nameOrId);
        }
        List<Network> byId = store.all().stream().filter(n -> n.id().startsWith(nameOrId)).toList();
        if (byId.size() != 1) {
            throw new NotFoundException("network " + nameOrId + " not found");
        }
        return requireBridge(byId.getFirst(), nameOrId);
    }

    private static Network requireBridge(Network n, String asked) {
        if (!n.bridgeDriver()) {
            throw new dev.skiff.errors.InvalidArgumentException("network " + asked + " (driver " + n.driver()
                    + ") cannot take a build step: give a bridge network, default, none or host");
        }
        return n;
    }

    /** Allocates an address for {@code e}, wires it in, and records it; on failure nothing of it is left. */
    Endpoint attachOne(Endpoint e, Path netns, List<PortBinding> published) {
        return wire(allocate(e, published, e.networkId()), netns);
    }

    /**
     * How the user named the network of {@code e}, for "network X not found" once it is gone: the NetworkMode for
     * the container's first network, else its ID.
     */
    private static String shownName(Container c, Endpoint e) {
        String mode = c.hostConfig().path("NetworkMode").asText("");
        return e.ifName().equals("eth0") && !mode.isEmpty() && !mode.equals("default") ? mode : e.networkId();
    }

    /**
     * Sets the network up if it is its first endpoint, then allocates an address for {@code e} and records it.
     *
     * @param shown the network as the user named it, for the error when it was removed meanwhile
     */
    private Endpoint allocate(Endpoint e, List<PortBinding> published, String shown) {
        Network n = store.get(e.networkId()).orElseThrow(() -> new InvalidArgumentException(
                "network " + shown + " not found")); // removed since the endpoints were read
        synchronized (allocation) {
            // a removal of the network since the lookup took the endpoint's record with it: the start fails as one
            // after the removal does, instead of wiring the container into a bridge being torn down
            if (store.get(n.id()).isEmpty()
                    || store.endpointsOf(e.containerId()).stream().noneMatch(x -> x.networkId().equals(n.id()))) {
                throw new InvalidArgumentException("network " + shown + " not found");
            }
            // set up under the lock the removal tears down under: a set-up racing `network rm` put the network's
            // first rules back after the teardown, and they stayed (two isolation rules of a bridge long gone)
            if (setUp.add(n.id())) {
                try {
                    driver.setUp(n);
                } catch (RuntimeException ex) {
                    setUp.remove(n.id());
                    throw ex;
                }
            }
            Set<Integer> used = new HashSet<>();
            Set<java.math.BigInteger> used6 = new HashSet<>();
            for (Endpoint other : store.endpointsOn(n.id())) {
                if (other.attached()) {
                    used.add(Cidr.parseAddress(other.ip()));
                    if (!other.ip6().isEmpty()) {
                        used6.add(Cidr6.parseAddress(other.ip6()));
                    }
                }
            }
            String ip = Cidr.format(Ipam.allocate(n, used, e.requestedIp()));
            Endpoint allocated = e.attachedAs(ip, "", e.ifName(), published, null);
            if (n.enableIpv6()) {
                allocated = allocated.withIp6(Cidr6.format(Ipam.allocate6(n, used6, e.requestedIp6())));
            }
            store.putEndpoint(allocated);
            return allocated;
        }
    }

    /** Has the driver put an allocated endpoint's interface in {@code netns}; on failure its address is freed. */
    private Endpoint wire(Endpoint allocated, Path netns) {
        Network n = network(allocated);
        try {
            NetworkDriver.Attachment a = driver.attach(n, request(allocated, netns));
            Endpoint wired = allocated.attachedAs(allocated.ip(), a.mac(), allocated.ifName(), allocated.ports(), a.state());
            store.putEndpoint(wired);
            publish("connect", n, allocated.containerId());
            return wired;
        } catch (RuntimeException ex) {
            store.putEndpoint(allocated.detached());
            throw ex;
        }
    }

    private Network network(Endpoint e) {
        return store.get(e.networkId()).orElseThrow(() -> new UnavailableException(
                "network " + e.networkId() + " of container " + e.containerId().substring(0, 12) + " is gone"));
    }

    private static NetworkDriver.AttachRequest request(Endpoint e, Path netns) {
        return new NetworkDriver.AttachRequest(e.containerId(), netns, e.ifName(), e.ip(), e.requestedMac(), e.ports(),
                e.ip6());
    }

    /** Unwires one endpoint of a live namespace (network disconnect) and frees its address; the record stays. */
    void detachOne(Endpoint e) {
        detachOne(e, netnsPath(e.containerId()));
    }

    /** @param netns the namespace holding the interface, or null when it is already gone (the process exited) */
    private void detachOne(Endpoint e, Path netns) {
        if (!e.attached()) {
            return;
        }
        store.get(e.networkId()).ifPresent(n -> {
            try {
                driver.detach(n, request(e, netns));
            } catch (RuntimeException ex) {
                LOG.warn("releasing {} of container {} on network {}: {}", e.ip(), e.containerId().substring(0, 12),
                        n.name(), ex.getMessage());
            }
        });
        store.putEndpoint(e.detached());
        store.get(e.networkId()).ifPresent(n -> publish("disconnect", n, e.containerId()));
    }

    /** Docker's network connect/disconnect event (at connect, start, stop and disconnect). */
    void publish(String action, Network n, String containerId) {
        events.publish("network", action, n.id(), Map.of("container", containerId, "name", n.name(), "type", n.driver()));
    }

    @Override
    public void detach(String containerId) {
        synchronized (lock(containerId)) {
            releaseAll(containerId);
        }
    }

    /**
     * Releases everything of a container whose process is gone. The namespace goes first: with its last
     * reference the kernel deletes the veth pair, so the driver is left only what lives outside it (published
     * ports), and an address freed here can never meet its old interface.
     */
    private void releaseAll(String containerId) {
        long t0 = System.nanoTime();
        dns.close(containerId);
        try {
            NetNs.remove(netnsPath(containerId));
        } catch (IOException e) {
            LOG.warn("cannot remove the network namespace of container {}: {}", containerId.substring(0, 12), e.getMessage());
        }
        long t1 = System.nanoTime();
        boolean any = false;
        for (Endpoint e : store.endpointsOf(containerId)) {
            any |= e.attached();
            detachOne(e, null);
        }
        if (any && LOG.isDebugEnabled()) {
            LOG.debug("released the network of {}: namespace {} ms, endpoints {} ms", containerId.substring(0, 12),
                    (t1 - t0) / 1_000_000, (System.nanoTime() - t1) / 1_000_000);
        }
    }

    @Override
    public void remove(String containerId) {
        synchronized (lock(containerId)) {
            releaseAll(containerId);
            for (Endpoint e : store.endpointsOf(containerId)) {
                store.deleteEndpoint(containerId, e.networkId());
            }
            store.setUnattached(containerId, false);
        }
        locks.remove(containerId);
    }

    @Override
    public void reconcile(Set<String> running, Set<String> existing) {
        for (Network n : store.all()) {
            if (n.bridgeDriver()) {
                try {
                    driver.setUp(n);
                    setUp.add(n.id());
                } catch (RuntimeException e) {
                    LOG.warn("setting up network {}: {}", n.name(), e.getMessage());
                }
            }
        }
        for (String id : store.unattachedContainers()) {
            if (!existing.contains(id)) {
                store.setUnattached(id, false);
            }
        }
        for (String id : store.containersWithEndpoints()) {
            if (running.contains(id)) {
                check(id);
                Thread.ofVirtual().name("dns-" + id.substring(0, 12)).start(() -> {
                    synchronized (lock(id)) {
                        dns.serveAgain(id, netnsPath(id));
                    }
                });
            } else {
                if (existing.contains(id)) {
                    detach(id);
                } else {
                    LOG.info("releasing the network endpoints of gone container {}", id.substring(0, 12));
                    remove(id);
                }
            }
        }
        if (Files.isDirectory(netnsDir)) {
            try (Stream<Path> files = Files.list(netnsDir)) {
                for (Path f : files.toList()) {
                    if (!running.contains(f.getFileName().toString())) {
                        NetNs.remove(f);
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot clean {}: {}", netnsDir, e.getMessage());
            }
        }
    }

    /** After a daemon restart: checks each running container's wiring (the driver's check) and mends what is broken. */
    private void check(String containerId) {
        synchronized (lock(containerId)) {
            Path netns = netnsPath(containerId);
            for (Endpoint e : store.endpointsOf(containerId)) {
                Network n = store.get(e.networkId()).orElse(null);
                if (n == null || !e.attached()) {
                    continue;
                }
                if (e.driverState() == null) {
                    rewire(e, n, netns, "its wiring never finished");
                    continue;
                }
                try {
                    driver.check(n, request(e, netns), e.driverState());
                } catch (RuntimeException ex) {
                    rewire(e, n, netns, ex.getMessage());
                }
            }
        }
    }

    /**
     * Makes a running container's interface what its record says. A daemon that died during a connect (the address
     * recorded, the interface not yet made), a disconnect (the interface gone, the record not yet) or a start leaves
     * them apart; the record wins, as the container's address is reserved in it. Whatever half of the old wiring is
     * left goes first.
     */
    private void rewire(Endpoint e, Network n, Path netns, String why) {
        String ctr = e.containerId().substring(0, 12);
        LOG.warn("container {}: its interface on network {} is not as recorded ({}): wiring it again", ctr, n.name(), why);
        try {
            driver.detach(n, request(e, netns));
        } catch (RuntimeException ex) {
            // nothing of it was left
        }
        try {
            wire(e, netns);
        } catch (RuntimeException ex) {
            LOG.warn("container {}: cannot wire it into network {} again ({}); its address is released: reconnect it "
                    + "(docker network connect) or restart it", ctr, n.name(), ex.getMessage());
        }
    }

    @Override
    public ObjectNode networkSettings(Container c, boolean full) {
        return NetworkSettingsView.of(c, store, full, netnsPath(c.id()));
    }

    @Override
    public void predefinedNetworkEvent(String action, Container c) {
        String mode = c.hostConfig().path("NetworkMode").asText("");
        if (mode.equals("none") && store.unattached(c.id())) {
            return; // it left "none" (docker network disconnect none): its own networks, if any, publish theirs
        }
        if (mode.equals("none") || mode.equals("host")) {
            store.byName(mode).filter(Network::predefined).ifPresent(n -> publish(action, n, c.id()));
        }
    }

    @Override
    public String predefinedNetworkId(String name) {
        return store.byName(name).filter(Network::predefined).map(Network::id).orElse("");
    }

    @Override
    public String hostGateway() {
        return store.byName("bridge").map(Network::gateway).orElse("");
    }

    @Override
    public List<String> networkNamesAndIds(String containerId) {
        List<String> out = new ArrayList<>();
        for (Endpoint e : store.endpointsOf(containerId)) {
            store.get(e.networkId()).ifPresent(n -> {
                out.add(n.name());
                out.add(n.id());
            });
        }
        return out;
    }
}

package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.engine.Container;
import dev.skiff.engine.EventBus;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.ForbiddenException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * docker network create, ls, inspect, rm, prune, connect and disconnect over the store; the predefined networks
 * bridge, host and none are made at first start. Network changes are serialised on this service.
 */
public final class NetworkService {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String BRIDGE_NAME_OPTION = "com.docker.network.bridge.name";

    private final NetworkStore store;
    private final ContainerNetworks containers;
    private final EventBus events;
    private final Function<String, Container> containerLookup;
    private final Supplier<List<Cidr>> hostRoutes;

    /**
     * @param containerLookup resolves a container id or name (NotFound otherwise)
     * @param hostRoutes      the host's routes new subnets must avoid
     */
    public NetworkService(ContainerNetworks containers, EventBus events, Function<String, Container> containerLookup,
                          Supplier<List<Cidr>> hostRoutes) {
        this.store = containers.store();
        this.containers = containers;
        this.events = events;
        this.containerLookup = containerLookup;
        this.hostRoutes = hostRoutes;
    }

    private volatile Supplier<java.util.Collection<Container>> allContainers = List::of;
    private volatile List<Ipam.AddressPool> pools = Ipam.DEFAULT_POOLS;

    /** The pools new networks (and a default bridge given no --bip) take their subnets from: default-address-pools. */
    public void usePools(List<Ipam.AddressPool> configured) {
        this.pools = configured.isEmpty() ? Ipam.DEFAULT_POOLS : List.copyOf(configured);
    }

    /** Where {@link #sharingTheHostsOrNone} finds the containers (the daemon wires the container service in). */
    public void useContainers(Supplier<java.util.Collection<Container>> all) {
        this.allContainers = all;
    }

    /**
     * The running containers in the network mode of the predefined {@code host} or {@code none} network, which
     * have no endpoint record: dockerd's network inspect lists them as attached, without addresses.
     */
    public List<Container> sharingTheHostsOrNone(Network n) {
        if (!n.predefined() || n.bridgeDriver()) {
            return List.of();
        }
        return allContainers.get().stream()
                .filter(c -> c.state().hasProcess() && n.name().equals(c.hostConfig().path("NetworkMode").asText("")))
                .sorted(java.util.Comparator.comparing(Container::id)).toList();
    }

    /**
     * Makes (or updates) the predefined networks; the default bridge's device and subnet come from -b and --bip.
     *
     * @param deviceAddress the bridge device's own address ("172.17.0.1/16") when it exists already, or null: without
     *                      a --bip the default bridge takes it, as dockerd takes an existing docker0's (a fresh or
     *                      recorded choice that differs conflicted with the address the device keeps)
     */
    public synchronized void initPredefined(String bridgeDevice, String bip, String deviceAddress) {
        initPredefined(bridgeDevice, bip, deviceAddress, false, "");
    }

    /**
     * As above, the default bridge with IPv6 too when {@code ipv6} (dockerd's --ipv6): on {@code fixedCidrV6}
     * (--fixed-cidr-v6) when given, else on the /64 it had, else on a free /64 of the daemon's ULA prefix.
     */
    public synchronized void initPredefined(String bridgeDevice, String bip, String deviceAddress, boolean ipv6,
                                            String fixedCidrV6) {
        initPredefined(bridgeDevice, bip, deviceAddress, ipv6, fixedCidrV6, 1500, true, "0.0.0.0");
    }

    /**
     * As above, with the daemon's --mtu (the default bridge's MTU), --icc (whether its containers reach each
     * other) and --ip (where its ports are published when a -p names no address), as dockerd applies them to docker0
     * only.
     */
    public synchronized void initPredefined(String bridgeDevice, String bip, String deviceAddress, boolean ipv6,
                                            String fixedCidrV6, int mtu, boolean icc, String hostBindingIp) {
        checkMtu(Map.of("com.docker.network.driver.mtu", Integer.toString(mtu)));
        for (String[] p : new String[][] {{"host", "host"}, {"none", "null"}}) {
            if (store.byName(p[0]).isEmpty()) {
                store.put(new Network(newId(), p[0], p[1], now(), "", "", "", "", false, false, true, Map.of(),
                        Map.of(), false));
            }
        }
        Network existing = store.byName("bridge").orElse(null);
        String subnet;
        String gateway;
        // --bip, else the device's own address: the device is the truth, the CNI bridge plugin refuses one whose
        // address differs from the gateway
        String address = bip != null && !bip.isEmpty() ? bip : deviceAddress;
        if (address != null) {
            subnet = Cidr.parse(address).toString();
            gateway = address.substring(0, address.indexOf('/'));
        } else if (existing != null && existing.bridge().equals(bridgeDevice)) {
            subnet = existing.subnet();
            gateway = existing.gateway();
        } else {
            List<Cidr> taken = new ArrayList<>(hostRoutes.get());
            store.all().stream().filter(n -> n.bridgeDriver() && !n.name().equals("bridge")).forEach(n -> taken.add(n.cidr()));
            Cidr c = Ipam.chooseSubnet(taken, pools);
            subnet = c.toString();
            gateway = Cidr.format(c.at(1));
        }
        Map<String, String> opts = new LinkedHashMap<>();
        opts.put("com.docker.network.bridge.default_bridge", "true");
        opts.put("com.docker.network.bridge.enable_icc", Boolean.toString(icc));
        opts.put("com.docker.network.bridge.enable_ip_masquerade", "true");
        opts.put("com.docker.network.bridge.host_binding_ipv4", hostBindingIp);
        opts.put(BRIDGE_NAME_OPTION, bridgeDevice);
        opts.put("com.docker.network.driver.mtu", Integer.toString(mtu));
        String id = existing != null ? existing.id() : newId();
        Network.Ipv6 v6 = ipv6 ? defaultBridgeIpv6(id, existing, fixedCidrV6) : null;
        Network bridge = new Network(id, "bridge", "bridge",
                existing != null ? existing.created() : now(), bridgeDevice, subnet, gateway, "", false, false, true,
                Map.of(), opts, false, v6);
        if (!bridge.equals(existing)) {
            store.put(bridge); // attached containers keep their records and are rewired on the new device at their next start
            if (existing != null) {
                containers.driver().reconfigured(existing, bridge);
            }
        }
    }

    private Network.Ipv6 defaultBridgeIpv6(String bridgeId, Network existing, String fixedCidrV6) {
        List<Cidr6> others = store.all().stream().filter(n -> n.enableIpv6() && !n.name().equals("bridge"))
                .map(n -> n.ipv6().cidr()).toList();
        if (fixedCidrV6 != null && !fixedCidrV6.isEmpty()) {
            Cidr6 subnet = Cidr6.parse(fixedCidrV6);
            if (subnet.prefix() > 126) {
                throw new InvalidArgumentException("fixed-cidr-v6 " + fixedCidrV6
                        + " is too small for a gateway and a container (use /126 or larger)");
            }
            Ipam.checkNoOverlap6(subnet, others);
            return new Network.Ipv6(subnet.toString(), Cidr6.format(subnet.at(1)), "", true);
        }
        if (existing != null && existing.enableIpv6() && !existing.ipv6().userSubnet()) {
            return existing.ipv6(); // the /64 chosen at an earlier start
        }
        Cidr6 subnet = Ipam.chooseSubnet6(Ipam.ulaPrefix(bridgeId), others);
        return new Network.Ipv6(subnet.toString(), Cidr6.format(subnet.at(1)), "", false);
    }

    // ---- queries

    public Network get(String idOrName) {
        return resolve(store, idOrName);
    }

    /** Docker's resolution: full id, then exact name, then a unique id prefix. */
    static Network resolve(NetworkStore store, String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            throw new NotFoundException("network  not found");
        }
        var byId = store.get(idOrName);
        if (byId.isPresent()) {
            return byId.get();
        }
        var byName = store.byName(idOrName);
        if (byName.isPresent()) {
            return byName.get();
        }
        List<Network> prefixed = store.all().stream().filter(n -> n.id().startsWith(idOrName)).toList();
        if (prefixed.size() == 1) {
            return prefixed.getFirst();
        }
        if (prefixed.size() > 1) {
            throw new NotFoundException("network " + idOrName + " is ambiguous (" + prefixed.size() + " matches)");
        }
        throw new NotFoundException("network " + idOrName + " not found");
    }

    public List<Network> list(Map<String, List<String>> filters) {
        NetworkFilter f = NetworkFilter.of(filters);
        return store.all().stream().filter(n -> f.matches(n, inUse(n))).toList();
    }

    /** Whether a running container is on the network. */
    private boolean inUse(Network n) {
        return store.endpointsOn(n.id()).stream().anyMatch(Endpoint::attached);
    }

    /** Endpoints on the network, for inspect's Containers. */
    public List<Endpoint> endpoints(Network n) {
        return store.endpointsOn(n.id());
    }

    /** The endpoints of a container, for views. */
    public List<Endpoint> endpointsOf(String containerId) {
        return store.endpointsOf(containerId);
    }

    // ---- create / remove

    /** What docker network create sends (NetworkCreateRequest), parsed. */
    public record CreateRequest(String name, String driver, boolean internal, boolean attachable, boolean checkDuplicate,
                                List<IpamConfig> ipam, Map<String, String> labels, Map<String, String> options,
                                boolean enableIpv6) {
        /** An IPv4-only network. */
        public CreateRequest(String name, String driver, boolean internal, boolean attachable, boolean checkDuplicate,
                             List<IpamConfig> ipam, Map<String, String> labels, Map<String, String> options) {
            this(name, driver, internal, attachable, checkDuplicate, ipam, labels, options, false);
        }
    }

    /** One IPAM.Config entry; {@code auxAddresses}: AuxiliaryAddresses, names to addresses kept from containers. */
    public record IpamConfig(String subnet, String ipRange, String gateway, Map<String, String> auxAddresses) {
        public IpamConfig {
            auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
        }

        public IpamConfig(String subnet, String ipRange, String gateway) {
            this(subnet, ipRange, gateway, Map.of());
        }
    }

    /** The bridge driver's MTU option, checked as libnetwork's bridge driver checks it (it was ignored if bad). */
    private static void checkMtu(Map<String, String> options) {
        String mtu = options == null ? null : options.get("com.docker.network.driver.mtu");
        if (mtu == null || mtu.isEmpty()) {
            return;
        }
        int n;
        try {
            n = Integer.parseInt(mtu.trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("failed to parse com.docker.network.driver.mtu value: " + mtu
                    + " (a number of bytes, such as 1450)");
        }
        if (n < 0) { // only that, as libnetwork's bridge driver: an MTU the kernel refuses fails at the first start
            throw new InvalidArgumentException("invalid MTU number: " + n);
        }
    }

    public synchronized Network create(CreateRequest r) {
        String name = r.name() == null ? "" : r.name().trim();
        if (name.isEmpty()) {
            throw new InvalidArgumentException("network name is empty: name the network (docker network create NAME)");
        }
        if (name.length() > 255 || !name.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new InvalidArgumentException("invalid network name \"" + name
                    + "\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
        }
        if (Network.isEndpointlessMode(name) || name.equals("bridge")) {
            // dockerd's answer for the predefined networks' names, which are reserved even for the bridge driver
            throw new ForbiddenException("operation is not permitted on predefined " + name + " network");
        }
        if (store.byName(name).isPresent()) {
            throw new ConflictException("network with name " + name + " already exists");
        }
        checkMtu(r.options());
        String driver = r.driver() == null || r.driver().isEmpty() ? "bridge" : r.driver();
        if (!driver.equals("bridge")) {
            if (driver.equals("host") || driver.equals("null")) {
                throw new ForbiddenException("only one instance of \"" + driver + "\" network is allowed");
            }
            throw new NotFoundException("plugin \"" + driver + "\" not found (Skiff has the bridge driver only)");
        }
        List<IpamConfig> v4 = r.ipam().stream().filter(c -> !ipv6Config(c)).toList();
        if (v4.size() > 1) {
            throw new InvalidArgumentException("only one IPv4 subnet per network is supported");
        }
        Network.Ipv6 ipv6 = ipv6(r);
        List<Cidr> others = store.all().stream().filter(Network::bridgeDriver).map(Network::cidr).toList();
        Cidr subnet;
        String gateway;
        String ipRange = "";
        boolean userSubnet = !v4.isEmpty() && v4.getFirst().subnet() != null && !v4.getFirst().subnet().isEmpty();
        if (userSubnet) {
            IpamConfig c = v4.getFirst();
            subnet = Cidr.parse(c.subnet());
            if (subnet.prefix() > 30) {
                throw new InvalidArgumentException("invalid subnet " + c.subnet() + ": too small for a gateway and a container (use /30 or larger)");
            }
            Ipam.checkNoOverlap(subnet, others);
            if (c.ipRange() != null && !c.ipRange().isEmpty()) {
                Cidr range = Cidr.parse(c.ipRange());
                if (!subnet.contains(range)) {
                    throw new InvalidArgumentException("invalid ip-range " + c.ipRange() + ": it must lie within subnet " + subnet);
                }
                ipRange = range.toString();
            }
            if (c.gateway() != null && !c.gateway().isEmpty()) {
                int gw = Cidr.parseAddress(c.gateway());
                if (!subnet.contains(gw)) {
                    throw new InvalidArgumentException("invalid gateway " + c.gateway() + ": it must lie within subnet " + subnet);
                }
                gateway = c.gateway();
            } else {
                gateway = Cidr.format(subnet.at(1));
            }
            for (Map.Entry<String, String> aux : c.auxAddresses().entrySet()) {
                int address;
                try {
                    address = Cidr.parseAddress(aux.getValue());
                } catch (RuntimeException e) {
                    throw new InvalidArgumentException("invalid auxiliary address " + aux.getKey() + "=" + aux.getValue()
                            + ": not an IPv4 address");
                }
                if (!subnet.contains(address)) { // libnetwork's words
                    throw new InvalidArgumentException("auxiliary address: (" + aux.getKey() + ":" + aux.getValue()
                            + ") must belong to the master pool: " + subnet);
                }
            }
        } else {
            if (!v4.isEmpty() && ((v4.getFirst().gateway() != null && !v4.getFirst().gateway().isEmpty())
                    || (v4.getFirst().ipRange() != null && !v4.getFirst().ipRange().isEmpty())
                    || !v4.getFirst().auxAddresses().isEmpty())) {
                throw new InvalidArgumentException("gateway, ip-range and aux-address need a subnet (give --subnet too)");
            }
            List<Cidr> taken = new ArrayList<>(hostRoutes.get());
            taken.addAll(others);
            subnet = Ipam.chooseSubnet(taken, pools);
            gateway = Cidr.format(subnet.at(1));
        }
        String id = newId();
        String device = r.options().getOrDefault(BRIDGE_NAME_OPTION, "br-" + id.substring(0, 12));
        if (device.length() > 15 || !device.matches("[a-zA-Z0-9_.-]+")) {
            throw new InvalidArgumentException("invalid bridge name " + device + ": at most 15 of [a-zA-Z0-9_.-]");
        }
        if (store.all().stream().anyMatch(n -> n.bridge().equals(device)) || Files.exists(java.nio.file.Path.of("/sys/class/net", device))) {
            throw new ConflictException("bridge device " + device + " is already in use (choose another "
                    + BRIDGE_NAME_OPTION + ")");
        }
        Network n = new Network(id, name, "bridge", now(), device, subnet.toString(), gateway, ipRange, r.internal(),
                r.attachable(), false, r.labels(), r.options(), userSubnet, ipv6,
                v4.isEmpty() ? Map.of() : v4.getFirst().auxAddresses());
        store.put(n);
        try {
            containers.driver().setUp(n);
        } catch (RuntimeException e) {
            store.delete(n.id());
            throw e;
        }
        events.publish("network", "create", n.id(), Map.of("name", n.name(), "type", n.driver()));
        return n;
    }

    /** An IPAM entry of the IPv6 family: its subnet, else its gateway or range, is written with colons. */
    private static boolean ipv6Config(IpamConfig c) {
        String first = c.subnet() != null && !c.subnet().isEmpty() ? c.subnet()
                : c.gateway() != null && !c.gateway().isEmpty() ? c.gateway() : c.ipRange();
        return Cidr6.isIpv6(first);
    }

    /**
     * The IPv6 side of a new network: the IPAM entry of the IPv6 family when one is given (checked as the IPv4 one
     * is), else a free /64 of the daemon's ULA prefix; null without --ipv6. An IPv6 entry without --ipv6 is refused
     * rather than kept unused, which left such a network without the addresses its file asked for.
     */
    private Network.Ipv6 ipv6(CreateRequest r) {
        List<IpamConfig> v6 = r.ipam().stream().filter(NetworkService::ipv6Config).toList();
        if (!r.enableIpv6()) {
            if (!v6.isEmpty()) {
                throw new InvalidArgumentException("IPv6 subnet " + blankIfNull(v6.getFirst().subnet())
                        + " given for a network without IPv6: add --ipv6 (EnableIPv6, compose's enable_ipv6: true), or"
                        + " leave the IPv6 subnet out");
            }
            return null;
        }
        if (v6.size() > 1) {
            throw new InvalidArgumentException("only one IPv6 subnet per network is supported");
        }
        List<Cidr6> others = store.all().stream().filter(Network::enableIpv6).map(n -> n.ipv6().cidr()).toList();
        IpamConfig c = v6.isEmpty() ? null : v6.getFirst();
        if (c != null && !c.auxAddresses().isEmpty()) {
            // refused rather than recorded and ignored: a reserved address handed to a container is a conflict
            throw new InvalidArgumentException("auxiliary addresses are supported on the IPv4 subnet only (Skiff keeps"
                    + " no IPv6 address from containers)");
        }
        String givenSubnet = c == null ? "" : blankIfNull(c.subnet());
        if (givenSubnet.isEmpty()) {
            if (c != null && (!blankIfNull(c.gateway()).isEmpty() || !blankIfNull(c.ipRange()).isEmpty())) {
                throw new InvalidArgumentException("an IPv6 gateway or ip-range needs an IPv6 subnet (give --subnet too)");
            }
            Cidr6 subnet = Ipam.chooseSubnet6(Ipam.ulaPrefix(ulaSeed()), others);
            return new Network.Ipv6(subnet.toString(), Cidr6.format(subnet.at(1)), "", false);
        }
        Cidr6 subnet = Cidr6.parse(givenSubnet);
        if (subnet.prefix() > 126) {
            throw new InvalidArgumentException("invalid subnet " + givenSubnet
                    + ": too small for a gateway and a container (use /126 or larger)");
        }
        Ipam.checkNoOverlap6(subnet, others);
        String ipRange = "";
        if (!blankIfNull(c.ipRange()).isEmpty()) {
            Cidr6 range = Cidr6.parse(c.ipRange());
            if (!subnet.contains(range)) {
                throw new InvalidArgumentException("invalid ip-range " + c.ipRange() + ": it must lie within subnet " + subnet);
            }
            ipRange = range.toString();
        }
        String gateway;
        if (!blankIfNull(c.gateway()).isEmpty()) {
            java.math.BigInteger gw = Cidr6.parseAddress(c.gateway());
            if (!subnet.contains(gw) || gw.equals(subnet.base())) {
                throw new InvalidArgumentException("invalid gateway " + c.gateway() + ": it must lie within subnet "
                        + subnet + " (and not be its first address)");
            }
            gateway = Cidr6.format(gw);
        } else {
            gateway = Cidr6.format(subnet.at(1));
        }
        return new Network.Ipv6(subnet.toString(), gateway, ipRange, true);
    }

    /** What the daemon's ULA prefix derives from: the default bridge's id, random once and recorded. */
    private String ulaSeed() {
        return store.byName("bridge").map(Network::id).orElse("skiff");
    }

    private static String blankIfNull(String s) {
        return s == null ? "" : s;
    }

    public synchronized void remove(String idOrName) {
        Network n = get(idOrName);
        if (n.predefined()) {
            throw new ForbiddenException(n.name() + " is a pre-defined network and cannot be removed");
        }
        // as Docker's: only running containers hold a network; stopped ones lose their (unwired) membership and
        // fail to start until given another network. Checked and deleted under the lock containers' endpoints are
        // recorded and allocated under, so a container starting meanwhile either holds the network or fails
        synchronized (containers.membership()) {
            List<Endpoint> users = store.endpointsOn(n.id()).stream().filter(Endpoint::attached).toList();
            if (!users.isEmpty()) {
                List<String> names = new ArrayList<>();
                for (Endpoint e : users) {
                    names.add(nameOf(e.containerId()));
                }
                throw new ForbiddenException("error while removing network: network " + n.name() + " id " + n.id()
                        + " has active endpoints (" + String.join(", ", names) + "; disconnect or remove them first)");
            }
            // the bridge and its rules go while the network is still recorded: a daemon that died between the two
            // left a bridge holding the subnet's gateway address that no network knew of, which the next network
            // given that subnet then collided with; now a crash leaves the record, and the next start's set-up
            // makes its bridge again (the remove failed: do it again)
            containers.tornDown(n.id());
            containers.driver().tearDown(n);
            store.endpointsOn(n.id()).forEach(e -> store.deleteEndpoint(e.containerId(), n.id()));
            store.delete(n.id());
        }
        events.publish("network", "destroy", n.id(), Map.of("name", n.name(), "type", n.driver()));
    }

    /** Removes every user-defined network without endpoints that the filters (until, label) select. */
    public synchronized List<String> prune(Map<String, List<String>> filters) {
        NetworkFilter f = NetworkFilter.forPrune(filters);
        List<String> deleted = new ArrayList<>();
        for (Network n : store.all()) {
            if (!n.predefined() && !inUse(n) && f.matches(n, false)) {
                remove(n.id());
                deleted.add(n.name());
            }
        }
        return deleted;
    }

    // ---- connect / disconnect

    /**
     * docker network connect: records the endpoint, and wires it in at once when the container runs.
     *
     * @param endpointConfig EndpointSettings (IPAMConfig.IPv4Address, Aliases, MacAddress), may be null
     */
    public void connect(String networkIdOrName, String containerIdOrName, JsonNode endpointConfig) {
        Network n = get(networkIdOrName);
        Container c = containerLookup.apply(containerIdOrName);
        String mode = c.hostConfig().path("NetworkMode").asText("bridge");
        if (!n.bridgeDriver()) {
            throw new ForbiddenException("container cannot be disconnected from host network or connected to host network");
        }
        boolean leftNone = mode.equals("none") && store.unattached(c.id()); // docker network disconnect none C
        if (mode.equals("none") && !leftNone) { // dockerd words the two cases apart
            throw new ForbiddenException("container cannot be connected to multiple networks with one of the networks in"
                    + " private (none) mode");
        }
        if (leftNone && c.state().hasProcess()) {
            throw new ForbiddenException("container " + c.shortName() + " runs with the none network's namespace, which"
                    + " has no interfaces to add: stop it, connect it to " + n.name() + ", then start it again");
        }
        if (Network.isEndpointlessMode(mode) && !leftNone) {
            throw new ForbiddenException("container sharing network namespace with another container or host cannot be connected to any other network");
        }
        synchronized (containers.lock(c.id())) {
            if (store.endpoint(c.id(), n.id()).isPresent()) {
                throw new ForbiddenException("endpoint with name " + c.shortName() + " already exists in network " + n.name());
            }
            Endpoint e = containers.endpointFor(c.id(), n, endpointConfig, 0);
            e = new Endpoint(e.containerId(), e.networkId(), e.endpointId(), e.aliases(), e.requestedIp(),
                    e.requestedMac(), "", "", containers.nextIfName(c.id()), List.of(), null, e.requestedIp6(), "");
            store.putEndpoint(e);
            store.setUnattached(c.id(), false);
            // the namespace, not the container's state read before the lock, says whether its network is live: a
            // start whose network setup ran meanwhile would otherwise leave this endpoint recorded and never wired
            java.nio.file.Path netns = containers.netnsPath(c.id());
            if (Files.exists(netns)) {
                try {
                    containers.attachOne(e, netns, List.of()); // publishes "connect"
                } catch (RuntimeException ex) {
                    store.deleteEndpoint(c.id(), n.id());
                    throw ex;
                }
                containers.dnsOnConnect(c, n);
            } else {
                containers.publish("connect", n, c.id());
            }
        }
    }

    public void disconnect(String networkIdOrName, String containerIdOrName, boolean force) {
        Network n = get(networkIdOrName);
        Container c;
        try {
            c = containerLookup.apply(containerIdOrName);
        } catch (NotFoundException e) {
            if (force) {
                // a container that is gone: drop whatever endpoint still names it
                store.endpointsOn(n.id()).stream().filter(ep -> ep.containerId().startsWith(containerIdOrName))
                        .forEach(ep -> store.deleteEndpoint(ep.containerId(), n.id()));
                return;
            }
            throw e;
        }
        synchronized (containers.lock(c.id())) {
            if (n.predefined() && n.name().equals("none")
                    && c.hostConfig().path("NetworkMode").asText("").equals("none")) {
                if (store.unattached(c.id()) || !store.endpointsOf(c.id()).isEmpty()) {
                    throw new ForbiddenException("container " + c.id() + " is not connected to the network none");
                }
                // as dockerd: a none-mode container may leave "none", to be connected to other networks after
                store.setUnattached(c.id(), true);
                containers.publish("disconnect", n, c.id());
                return;
            }
            Endpoint e = store.endpoint(c.id(), n.id()).orElseThrow(() -> new ForbiddenException(
                    "container " + c.id() + " is not connected to network " + n.name()));
            if (store.endpointsOf(c.id()).size() == 1) {
                store.setUnattached(c.id(), true); // its next start must not join its NetworkMode's network again
            }
            if (e.attached()) {
                containers.detachOne(e); // publishes "disconnect"
            } else {
                containers.publish("disconnect", n, c.id());
            }
            store.deleteEndpoint(c.id(), n.id());
        }
    }

    /** The container's name without "/", or its short id when it is gone. */
    public String nameOf(String containerId) {
        try {
            return containerLookup.apply(containerId).shortName();
        } catch (NotFoundException e) {
            return containerId.substring(0, Math.min(12, containerId.length()));
        }
    }

    private static String newId() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String now() {
        return dev.skiff.sys.GoTimestamp.format(Instant.now());
    }
}

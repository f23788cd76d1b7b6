package dev.skiff.daemon;

import dev.skiff.engine.ContainerService;
import dev.skiff.engine.network.CniBridgeDriver;
import dev.skiff.engine.network.ContainerNetworks;
import dev.skiff.engine.network.HostRoutes;
import dev.skiff.engine.network.Ipam;
import dev.skiff.engine.network.NetworkService;
import dev.skiff.engine.network.NetworkStore;
import dev.skiff.engine.network.dns.EmbeddedDns;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Sqlite;
import java.nio.file.Path;

/**
 * Wires the network service (CNI bridge driver, plugins in /usr/lib/cni, namespaces under
 * {@code <exec-root>/netns}) into the container engine, with the predefined networks bridge, host and none.
 */
final class Networks {
    static final Path CNI_PLUGINS = Path.of("/usr/lib/cni");

    private Networks() {
    }

    /** The network API's service, and the builder's way onto the default bridge. */
    record Wired(NetworkService service, dev.skiff.build.StepNetwork buildSteps) {
    }

    /**
     * Call before the containers are reconciled, so their network leftovers are reconciled with them, and after
     * {@link ContainerService#usePorts}, whose ports the bridge attach publishes.
     */
    static Wired wire(DaemonOptions options, Sqlite db, ContainerService containers) {
        String bridge = options.bridge();
        if (bridge.length() > 15 || !bridge.matches("[a-zA-Z0-9_.-]+")) {
            throw new InvalidArgumentException("invalid --bridge " + bridge + ": at most 15 of [a-zA-Z0-9_.-]");
        }
        ContainerNetworks networks = new ContainerNetworks(new NetworkStore(db),
                new CniBridgeDriver(pluginDir(), "iptables"), options.execRoot().toAbsolutePath().resolve("netns"),
                containers.events());
        NetworkService service = new NetworkService(networks, containers.events(), containers::get, HostRoutes::read);
        service.usePools(options.addressPools().stream().map(Ipam.AddressPool::parse).toList());
        service.initPredefined(bridge, options.bip(), HostRoutes.deviceAddress(bridge), options.ipv6(),
                options.fixedCidrV6(), options.mtu(), options.icc(), options.ip());
        containers.ports().useDefaultBridgeIp(options.ip());
        service.useContainers(containers::all); // network inspect host|none lists the containers in those modes
        // the first endpoint of a starting container publishes its ports: allocated (and checked) at attach
        networks.usePorts(c -> containers.ports().resolve(c.id(), c.shortName(), c.config(), c.hostConfig()));
        // and the IPv6 side of those ports (relayed in the daemon, as docker-proxy does) leads to that endpoint
        containers.ports().useAddresses(networks::publishingAddress);
        // One selector thread serves every container's 127.0.0.11; a daemon thread, it ends with skiffd.
        EmbeddedDns dns = EmbeddedDns.start();
        networks.useDns(new ContainerNetworks.Dns(dns::serve, containers::get, containers.options().hostResolvConf(),
                containers::pointResolvConfAtEmbeddedDns));
        containers.useNetworking(networks);
        return new Wired(service, new BuildNetwork(networks, containers.options().hostResolvConf()));
    }

    private static Path pluginDir() {
        String env = System.getenv("CNI_PATH");
        return env != null && !env.isEmpty() ? Path.of(env.split(":")[0]) : CNI_PLUGINS;
    }
}

package dev.skiff.engine.network;

import dev.skiff.engine.network.ports.PortBinding;
import java.util.List;

/**
 * A container's membership of one network (a row of {@code network_endpoints}). It exists from create (or
 * connect) to rm (or disconnect); {@code ip} is set while the container runs and empty otherwise, as Docker
 * releases addresses at stop.
 *
 * @param requestedIp  --ip / IPAMConfig.IPv4Address, or ""
 * @param requestedMac --mac-address, or ""
 * @param ip           the allocated address while attached, else ""
 * @param mac          the interface's MAC while attached, else ""
 * @param ifName       the interface name inside the container (eth0, eth1, ...)
 * @param ports        what was published through this endpoint (portmap needs the same list at DEL)
 * @param driverState  what the driver reported at attach (the CNI result), for its later checks; null when detached
 * @param requestedIp6 --ip6 / IPAMConfig.IPv6Address, or ""
 * @param ip6          the allocated IPv6 address while attached to a network with IPv6, else ""
 */
public record Endpoint(String containerId, String networkId, String endpointId, List<String> aliases,
                       String requestedIp, String requestedMac, String ip, String mac, String ifName,
                       List<PortBinding> ports, String driverState, String requestedIp6, String ip6) {
    public Endpoint {
        aliases = List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
        requestedIp6 = requestedIp6 == null ? "" : requestedIp6; // rows written before IPv6 networks have neither
        ip6 = ip6 == null ? "" : ip6;
    }

    /** An endpoint without IPv6. */
    public Endpoint(String containerId, String networkId, String endpointId, List<String> aliases, String requestedIp,
                    String requestedMac, String ip, String mac, String ifName, List<PortBinding> ports,
                    String driverState) {
        this(containerId, networkId, endpointId, aliases, requestedIp, requestedMac, ip, mac, ifName, ports,
                driverState, "", "");
    }

    public boolean attached() {
        return !ip.isEmpty();
    }

    public Endpoint attachedAs(String address, String macAddress, String iface, List<PortBinding> published,
                               String state) {
        return new Endpoint(containerId, networkId, endpointId, aliases, requestedIp, requestedMac, address, macAddress,
                iface, published, state, requestedIp6, ip6);
    }

    /** With the IPv6 address {@code address6} ("" for none) as allocated. */
    public Endpoint withIp6(String address6) {
        return new Endpoint(containerId, networkId, endpointId, aliases, requestedIp, requestedMac, ip, mac, ifName, ports,
                driverState, requestedIp6, address6);
    }

    public Endpoint detached() {
        return new Endpoint(containerId, networkId, endpointId, aliases, requestedIp, requestedMac, "", "", ifName, List.of(),
                null, requestedIp6, "");
    }
}

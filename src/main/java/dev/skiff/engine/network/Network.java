package dev.skiff.engine.network;

import java.util.Map;

/**
 * One network as the daemon records it (a row of {@code network_networks}).
 *
 * @param id        64 hex digits; the predefined networks have random ids like Docker's
 * @param driver    "bridge", "host" or "null"
 * @param bridge    the Linux bridge device of a bridge network ("skiff0", "br-&lt;12 hex&gt;"); "" otherwise
 * @param subnet    "172.18.0.0/16", or "" for host and none
 * @param gateway   the bridge's own address, or ""
 * @param ipRange   the sub-range addresses are allocated from, or "" for the whole subnet
 * @param internal  no route out and no traffic in from other networks
 * @param predefined bridge, host and none: they cannot be removed
 * @param ipv6      its IPv6 subnet when it was made with --ipv6 (dual stack), else null
 */
public record Network(String id, String name, String driver, String created, String bridge, String subnet,
                      String gateway, String ipRange, boolean internal, boolean attachable, boolean predefined,
                      Map<String, String> labels, Map<String, String> options, boolean userSubnet, Ipv6 ipv6,
                      Map<String, String> auxAddresses) {
    public Network {
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
        // networks recorded before auxiliary addresses existed read back without the field
        auxAddresses = auxAddresses == null ? Map.of() : Map.copyOf(auxAddresses);
    }

    /** A network without auxiliary addresses (--aux-address: addresses of the subnet no container is given). */
    public Network(String id, String name, String driver, String created, String bridge, String subnet, String gateway,
                   String ipRange, boolean internal, boolean attachable, boolean predefined, Map<String, String> labels,
                   Map<String, String> options, boolean userSubnet, Ipv6 ipv6) {
        this(id, name, driver, created, bridge, subnet, gateway, ipRange, internal, attachable, predefined, labels,
                options, userSubnet, ipv6, Map.of());
    }

    /** A network without IPv6 (every network recorded before IPv6 networks existed reads back as one). */
    public Network(String id, String name, String driver, String created, String bridge, String subnet, String gateway,
                   String ipRange, boolean internal, boolean attachable, boolean predefined, Map<String, String> labels,
                   Map<String, String> options, boolean userSubnet) {
        this(id, name, driver, created, bridge, subnet, gateway, ipRange, internal, attachable, predefined, labels,
                options, userSubnet, null);
    }

    /**
     * The IPv6 side of a dual-stack network.
     *
     * @param subnet     "fd00:1::/64", canonical
     * @param gateway    the bridge's own IPv6 address, canonical
     * @param ipRange    the sub-range container addresses come from, or ""
     * @param userSubnet whether the user gave the subnet (--ip6 needs one, as --ip does)
     */
    public record Ipv6(String subnet, String gateway, String ipRange, boolean userSubnet) {
        public Ipv6 {
            ipRange = ipRange == null ? "" : ipRange;
        }

        public Cidr6 cidr() {
            return Cidr6.parse(subnet);
        }
    }

    /** Whether its containers get IPv6 addresses too. */
    public boolean enableIpv6() {
        return ipv6 != null;
    }

    /** Whether it is a bridge-driver network (not named isBridge: Jackson would take it for the bridge field). */
    public boolean bridgeDriver() {
        return driver.equals("bridge");
    }

    /**
     * Whether a container's NetworkMode names no network of its own: host, none and container:ID give it no
     * endpoint (it uses the host's namespace, a private loopback-only one, or another container's).
     */
    public static boolean isEndpointlessMode(String networkMode) {
        return networkMode.equals("host") || networkMode.equals("none") || networkMode.startsWith("container:");
    }

    /** The default "bridge" network: Docker gives it no name resolution and no aliases. */
    public boolean defaultBridge() {
        return predefined && bridgeDriver();
    }

    public Cidr cidr() {
        return Cidr.parse(subnet);
    }

    public String shortId() {
        return id.substring(0, 12);
    }
}

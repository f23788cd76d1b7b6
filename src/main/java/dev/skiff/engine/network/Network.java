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
 */
public record Network(String id, String name, String driver, String created, String bridge, String subnet,
                      String gateway, String ipRange, boolean internal, boolean attachable, boolean predefined,
                      Map<String, String> labels, Map<String, String> options, boolean userSubnet) {
    public Network {
        labels = Map.copyOf(labels);
        options = Map.copyOf(options);
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

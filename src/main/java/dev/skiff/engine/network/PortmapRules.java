package dev.skiff.engine.network;

import dev.skiff.engine.network.ports.PortBinding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Checks the DNAT rules the CNI portmap plugin made for one endpoint, in place of the plugin's own CHECK: that of
 * containernetworking-plugins 1.1 looks for the endpoint's chain in the IPv6 table as well whenever ip6tables' nat
 * table is loaded (by an IPv6 network, dockerd, ufw...), and so fails for every IPv4 endpoint on such a host, which
 * had each container with published ports rewired, its connections cut, at every daemon start. One iptables
 * listing instead of a plugin exec is cheaper too.
 */
final class PortmapRules {
    private static final int MAX_CHAIN_LENGTH = 28;

    private final String iptables;

    PortmapRules(String iptables) {
        this.iptables = iptables;
    }

    /** portmap's per-endpoint chain: "CNI-DN-" and the sha512 of the network name and container id, cut to 28. */
    static String chainName(String networkName, String containerId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-512").digest((networkName + containerId).getBytes(StandardCharsets.UTF_8));
            return ("CNI-DN-" + HexFormat.of().formatHex(h)).substring(0, MAX_CHAIN_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What is missing of the mappings of {@code ports} to {@code address} in the chain's listing ({@code iptables -S}
     * output), or null when every one is there. Bindings to an IPv6 host address have no IPv4 rule (portmap maps
     * each family to its own), so they are not looked for.
     */
    static String missing(List<String> listing, List<PortBinding> ports, String address) {
        List<String> found = new ArrayList<>();
        for (String line : listing) {
            List<String> t = List.of(line.trim().split("\\s+"));
            int dnat = t.indexOf("--to-destination");
            int proto = t.indexOf("-p");
            int dport = t.indexOf("--dport");
            if (dnat > 0 && proto > 0 && dport > 0 && dnat + 1 < t.size() && proto + 1 < t.size() && dport + 1 < t.size()) {
                found.add(t.get(proto + 1) + "/" + t.get(dport + 1) + ">" + t.get(dnat + 1));
            }
        }
        for (PortBinding p : ports) {
            if (p.hostIp().contains(":")) {
                continue;
            }
            String want = p.protocol() + "/" + p.hostPort() + ">" + address + ":" + p.containerPort();
            if (!found.contains(want)) {
                return "no DNAT rule for " + p.protocol() + " port " + p.hostPort() + " to " + address + ":"
                        + p.containerPort();
            }
        }
        return null;
    }

    /** Null when the endpoint's published ports are all mapped, else what is wrong. */
    String problem(String networkName, String containerId, List<PortBinding> ports, String address) {
        String chain = chainName(networkName, containerId);
        BridgeRules.Result r;
        try {
            r = BridgeRules.exec(iptables, List.of("-t", "nat", "-S", chain));
        } catch (IOException e) {
            return "cannot run " + iptables + ": " + e.getMessage();
        }
        if (r.status() == BridgeRules.RESOURCE_PROBLEM) {
            return null; // the xtables lock stayed taken: no answer, and a rewire on no answer would cut connections
        }
        if (r.status() != 0) {
            return "its published ports' chain " + chain + " is gone (" + r.output().strip() + ")";
        }
        return missing(r.output().lines().toList(), ports, address);
    }
}

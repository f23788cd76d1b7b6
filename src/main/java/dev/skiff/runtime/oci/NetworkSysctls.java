package dev.skiff.runtime.oci;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The sysctls dockerd sets in every network namespace a container owns (daemon/oci_linux.go, since 20.10): any user
 * may bind ports below 1024 (net.ipv4.ip_unprivileged_port_start=0) and send ICMP echo without CAP_NET_RAW
 * (net.ipv4.ping_group_range). Images rely on them: a web server running as a non-root user on port 80, ping as
 * nobody. Not for --network host (the host's own settings) nor container:ID (its owner has set them).
 */
public final class NetworkSysctls {
    private static final Map<String, String> DEFAULTS = Map.of(
            "net.ipv4.ip_unprivileged_port_start", "0",
            "net.ipv4.ping_group_range", "0 2147483647");

    private NetworkSysctls() {
    }

    /** Docker's defaults with {@code requested} (--sysctl) over them; the defaults only in an own namespace. */
    public static Map<String, String> forOwnNamespace(Map<String, String> requested) {
        Map<String, String> out = new LinkedHashMap<>(DEFAULTS);
        if (requested != null) {
            out.putAll(requested);
        }
        return out;
    }
}

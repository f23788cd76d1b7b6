package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.engine.Container;
import dev.skiff.engine.Links;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded DNS server's part in a container's networking: one server handle per container whose first
 * network is user-defined, started when it is wired and stopped when it is released, answering from
 * {@link ContainerNames}.
 */
final class ContainerDns {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerDns.class);

    private final NetworkStore store;
    private final Map<String, AutoCloseable> handles = new ConcurrentHashMap<>();
    /** Null until wired in: then resolv.conf is written as for the default bridge. */
    private volatile ContainerNetworks.Dns dns;

    ContainerDns(NetworkStore store) {
        this.store = store;
    }

    void use(ContainerNetworks.Dns d) {
        this.dns = d;
    }

    /**
     * Starts the embedded DNS server in the container's namespace; false (resolv.conf then as for the default
     * bridge) when none is wired in or it cannot serve there.
     */
    boolean serve(Container c, Path netns, Network primary, boolean fresh) {
        ContainerNetworks.Dns d = dns;
        if (d == null) {
            return false;
        }
        return serve(c.id(), c.shortName(), c.hostConfig(), links(c, d), netns, primary, fresh);
    }

    /**
     * A build step's server on a user-defined network: the network's names, the host's name servers upstream
     * (none on an internal network), no --dns settings or links of its own.
     */
    boolean serveStep(String stepId, Path netns, Network primary) {
        return serve(stepId, "build step " + stepId.substring(0, 12), com.fasterxml.jackson.databind.node.JsonNodeFactory
                .instance.objectNode(), java.util.Map.of(), netns, primary, true);
    }

    private boolean serve(String id, String label, JsonNode hostConfig, java.util.Map<String, String> links, Path netns,
                          Network primary, boolean fresh) {
        ContainerNetworks.Dns d = dns;
        if (d == null) {
            return false;
        }
        close(id);
        try {
            List<java.net.InetSocketAddress> upstreams = new ArrayList<>();
            if (!primary.internal()) {
                List<String> servers = strings(hostConfig.get("Dns"));
                if (servers.isEmpty()) {
                    servers = resolvLines(d.hostResolv(), "nameserver");
                }
                for (String s : servers) {
                    upstreams.add(new java.net.InetSocketAddress(java.net.InetAddress.ofLiteral(s), 53));
                }
            }
            List<String> search = strings(hostConfig.get("DnsSearch"));
            if (search.isEmpty()) {
                search = resolvLines(d.hostResolv(), "search");
            }
            ContainerNames names = new ContainerNames(store, id, other -> {
                try {
                    return d.containers().apply(other).shortName();
                } catch (RuntimeException e) {
                    return "";
                }
            }, links);
            handles.put(id, d.server().serve(netns, names, upstreams, search, fresh));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("no embedded DNS for {}: {}", label, e.getMessage());
            return false;
        }
    }

    /** Stops the container's server, if it has one. */
    void close(String containerId) {
        AutoCloseable h = handles.remove(containerId);
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                LOG.debug("closing the DNS server of {}: {}", containerId, e.toString());
            }
        }
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n != null) {
            n.forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** The values of a resolv.conf keyword ("nameserver": one per line; "search": the last line's list). */
    static List<String> resolvLines(Path file, String keyword) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 1 && f[0].equals(keyword)) {
                    if (keyword.equals("search")) {
                        out.clear();
                    }
                    for (int i = 1; i < f.length; i++) {
                        if (keyword.equals("search") || (Cidr.isAddress(f[i]) && i == 1)) {
                            out.add(f[i]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // no host file: no upstreams, no search domains
        }
        return out;
    }

    /** The container's link aliases to their targets' ids (targets gone since are left out). */
    private static java.util.Map<String, String> links(Container c, ContainerNetworks.Dns d) {
        java.util.Map<String, String> out = new java.util.HashMap<>();
        for (String link : strings(c.hostConfig().get("Links"))) {
            String[] targetAndAlias = Links.parse(link);
            try {
                out.put(targetAndAlias[1].toLowerCase(java.util.Locale.ROOT), d.containers().apply(targetAndAlias[0]).id());
            } catch (RuntimeException e) {
                // the target is gone: the alias answers nothing
            }
        }
        return out;
    }

    boolean serving(String containerId) {
        return handles.containsKey(containerId);
    }

    /** Points the container's resolv.conf at the server (after a connect gave it one). */
    void pointResolvConf(Container c) {
        ContainerNetworks.Dns d = dns;
        if (d != null) {
            try {
                d.pointResolvConfAtServer().accept(c);
            } catch (RuntimeException e) {
                LOG.warn("container {} keeps its resolv.conf: {}", c.shortName(), e.getMessage());
            }
        }
    }

    /** After a daemon restart: a running container on a user-defined network gets its DNS server back. */
    void serveAgain(String containerId, Path netns) {
        ContainerNetworks.Dns d = dns;
        List<Endpoint> eps = store.endpointsOf(containerId);
        if (d == null || eps.stream().noneMatch(Endpoint::attached) || !Files.exists(netns)) {
            return;
        }
        // the first user-defined network it is on (a container started on the default bridge may have joined one)
        Network n = eps.stream().filter(Endpoint::attached).map(e -> store.get(e.networkId()).orElse(null))
                .filter(x -> x != null && !x.defaultBridge()).findFirst().orElse(null);
        if (n != null) {
            try {
                serve(d.containers().apply(containerId), netns, n, false);
            } catch (RuntimeException e) {
                LOG.warn("no embedded DNS for container {} after restart: {}", containerId.substring(0, 12), e.getMessage());
            }
        }
    }
}

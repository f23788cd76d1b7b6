package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.network.ports.PortBinding;
import dev.skiff.sys.Json;
import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Docker's bridge driver on the standard CNI plugins: {@code bridge} makes the Linux bridge (with the gateway
 * address) and the container's veth, {@code static} IPAM puts in the address {@link Ipam} chose (so CNI keeps no
 * address state of its own to leak), {@code tuning} sets a requested MAC, {@code portmap} publishes ports. The configuration list is built in code
 * per attach. Rules that belong to the whole network (isolation, masquerade) are {@link BridgeRules}.
 */
public final class CniBridgeDriver implements NetworkDriver {
    private final CniExec cni;
    private final BridgeRules rules;
    private final PortmapRules portmapRules;

    public CniBridgeDriver(Path pluginDir, String iptables) {
        this.cni = new CniExec(pluginDir);
        this.rules = new BridgeRules(iptables);
        this.portmapRules = new PortmapRules(iptables);
    }

    @Override
    public String name() {
        return "bridge";
    }

    @Override
    public void setUp(Network network) {
        ensureBridge(network);
        rules.install(network);
    }

    /**
     * The bridge device with its gateway address, made when the network is (and again at a start that finds it
     * gone), as dockerd makes it: a firewall rule, a route or a monitor may name it before any container runs. The
     * CNI bridge plugin finds it at the first attach and keeps it.
     */
    private static void ensureBridge(Network n) {
        Path device = Path.of("/sys/class/net", n.bridge());
        if (Files.exists(device)) {
            if (n.enableIpv6()) {
                gatewayAddress6(n); // a default bridge given --ipv6 since the device was made
            }
            return;
        }
        // an address of its own, as dockerd gives its bridges: a bridge without one takes its lowest port's and
        // changes as containers come and go, and CNI's CHECK then finds a MAC other than the one its ADD recorded
        String made = ip("link", "add", "name", n.bridge(), "address", randomMac(), "type", "bridge");
        if (made != null && !Files.exists(device)) {
            throw new UnavailableException("cannot create the bridge " + n.bridge() + " of network " + n.name() + ": "
                    + made + " (another device of that name? choose another com.docker.network.bridge.name)");
        }
        String addr = ip("addr", "add", n.gateway() + "/" + n.cidr().prefix(), "dev", n.bridge());
        if (addr != null && !addr.contains("File exists")) {
            throw new UnavailableException("cannot give the bridge " + n.bridge() + " of network " + n.name()
                    + " its address " + n.gateway() + ": " + addr);
        }
        if (n.enableIpv6()) {
            gatewayAddress6(n);
        }
        ip("link", "set", n.bridge(), "up");
    }

    /**
     * The bridge's IPv6 gateway address, without duplicate address detection (nodad), as the plugin would add it
     * with: a tentative gateway answers no neighbour solicitation, and the first container of the network could not
     * reach it for the second or two detection takes.
     */
    private static void gatewayAddress6(Network n) {
        String addr = ip("-6", "addr", "add", n.ipv6().gateway() + "/" + n.ipv6().cidr().prefix(), "dev", n.bridge(),
                "nodad");
        if (addr != null && !addr.contains("File exists") && !addr.contains("already assigned")) {
            throw new UnavailableException("cannot give the bridge " + n.bridge() + " of network " + n.name()
                    + " its IPv6 address " + n.ipv6().gateway() + ": " + addr
                    + " (is IPv6 turned off on this host? see net.ipv6.conf.all.disable_ipv6)");
        }
    }

    /** A random locally administered unicast MAC address. */
    private static String randomMac() {
        byte[] b = new byte[6];
        java.util.concurrent.ThreadLocalRandom.current().nextBytes(b);
        b[0] = (byte) ((b[0] & 0xfe) | 0x02);
        return java.util.HexFormat.ofDelimiter(":").formatHex(b);
    }

    /** Runs iproute2's ip; null when it succeeded, else what it said. */
    private static String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "ip did not finish in 30s";
            }
            return p.exitValue() == 0 ? null : out;
        } catch (IOException e) {
            throw new UnavailableException("cannot run ip (iproute2): " + e.getMessage()
                    + " (bin/install-deps installs it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    @Override
    public Attachment attach(Network network, AttachRequest r) {
        List<ObjectNode> plugins = plugins(network, r);
        JsonNode result;
        try {
            // the interface's plugins, then portmap (when ports are published) given their result
            java.util.Map<Boolean, List<ObjectNode>> byKind = plugins.stream().collect(
                    java.util.stream.Collectors.partitioningBy(p -> p.path("type").asText().equals("portmap")));
            result = cni.add(network.name(), byKind.get(false), r.containerId(), r.netns(), r.ifName());
            if (!byKind.get(true).isEmpty()) {
                cni.add(network.name(), byKind.get(true), result, r.containerId(), r.netns(), r.ifName());
            }
        } catch (RuntimeException e) {
            try {
                cni.del(network.name(), plugins, r.containerId(), r.netns(), r.ifName());
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        forgetNeighbours(network, r);
        String mac = "";
        if (result != null) {
            for (JsonNode i : result.path("interfaces")) {
                if (!i.path("sandbox").asText("").isEmpty() && i.path("name").asText().equals(r.ifName())) {
                    mac = i.path("mac").asText("");
                }
            }
        }
        return new Attachment(mac, result == null ? null : result.toString());
    }

    /**
     * Drops the host's neighbour entries (ARP, NDP) for the endpoint's addresses on the bridge. An address is
     * given again to the next container that starts (the lowest free one), with a new MAC; while other containers
     * keep the bridge up, the host keeps the entry the earlier holder left and sends the address's packets to a
     * MAC that is gone: published ports and the host's own connections to it were dead for the half minute or
     * more the entry takes to age out (`docker compose up` recreating one service of several hit it every time).
     * dockerd gave a reused address the same MAC (derived from it) until it sent gratuitous ARP instead; without
     * an entry, the first packet asks again. One netlink message each, from the daemon: no process.
     */
    private static void forgetNeighbours(Network n, AttachRequest r) {
        for (String address : r.address6().isEmpty() ? List.of(r.address()) : List.of(r.address(), r.address6())) {
            try {
                dev.skiff.runtime.unix.Neighbours.forget(n.bridge(), address);
            } catch (IOException | RuntimeException e) {
                // best effort: the bridge was just used by the plugin, and without an entry there is nothing to drop
            }
        }
    }

    @Override
    public void check(Network network, AttachRequest r, String state) {
        JsonNode result;
        try {
            result = Json.MAPPER.readTree(state);
        } catch (java.io.IOException e) {
            throw new dev.skiff.errors.InternalException("unreadable CNI result of " + r.containerId() + ": " + e.getMessage(), e);
        }
        String broken = vethProblem(network, result);
        if (broken != null) {
            throw new UnavailableException("interface " + r.ifName() + " of container " + r.containerId() + ": " + broken);
        }
        List<PortBinding> natted = r.ports().stream().filter(p -> !p.hostIp().contains(":")).toList();
        if (!natted.isEmpty()) {
            // the published ports' rules live outside the pair (those of one IPv6 address are the daemon's relay)
            String missing = portmapRules.problem(network.name(), r.containerId(), natted, r.address());
            if (missing != null) {
                throw new UnavailableException("published ports of container " + r.containerId() + ": " + missing);
            }
        }
    }

    /**
     * What is wrong with the attach's veth pair, read from /sys on the host side (a few file reads, where the
     * plugins' CHECK execs two programs: ~18 ms a container, and a restart checks every running one before it
     * serves): its host end is gone (with it the container's end, a pair dies whole), is another device by now,
     * or left the bridge. Null when it is in place.
     */
    static String vethProblem(Network network, JsonNode result) {
        JsonNode host = null;
        for (JsonNode i : result.path("interfaces")) {
            if (i.path("sandbox").asText("").isEmpty() && !i.path("name").asText().equals(network.bridge())) {
                host = i;
            }
        }
        if (host == null) {
            return "the plugin's result names no host-side interface";
        }
        String name = host.path("name").asText();
        Path dev = Path.of("/sys/class/net", name);
        try {
            if (!Files.exists(dev)) {
                return "its host side " + name + " is gone";
            }
            String mac = Files.readString(dev.resolve("address")).trim();
            String reported = host.path("mac").asText("");
            if (!reported.isEmpty() && !mac.equalsIgnoreCase(reported)) { // a plugin that reports none: the name
                return "its host side " + name + " is another device now (" + mac + ")";
            }
            Path master = dev.resolve("master");
            if (!Files.exists(master) || !Files.readSymbolicLink(master).getFileName().toString().equals(network.bridge())) {
                return "its host side " + name + " is not on bridge " + network.bridge();
            }
            return null;
        } catch (java.io.IOException e) {
            return "its host side " + name + " cannot be read: " + e.getMessage();
        }
    }

    @Override
    public void detach(Network network, AttachRequest r) {
        List<ObjectNode> plugins = plugins(network, r);
        if (r.netns() == null) {
            // The namespace is gone and its veth pair with it; the bridge plugin (ipMasq off, static IPAM) has
            // nothing left outside it, so only portmap's rules need a DEL. A plain exit execs nothing.
            plugins = plugins.stream().filter(p -> p.path("type").asText().equals("portmap")).toList();
        }
        if (!plugins.isEmpty()) {
            cni.del(network.name(), plugins, r.containerId(), r.netns(), r.ifName());
        }
    }

    @Override
    public void reconfigured(Network before, Network after) {
        if (before.enableIpv6() && !before.ipv6().equals(after.ipv6())) {
            // IPv6 turned off (or another subnet): its rules and the bridge's old IPv6 gateway go
            rules.removeIpv6(before);
            ip("-6", "addr", "del", before.ipv6().gateway() + "/" + before.ipv6().cidr().prefix(), "dev", before.bridge());
        }
    }

    @Override
    public void tearDown(Network network) {
        rules.remove(network);
        try {
            ip("link", "del", network.bridge()); // its failure: the device is gone already
        } catch (UnavailableException e) {
            // iproute2 is missing: nothing made a bridge then
        }
    }

    /** The configuration list of one attach: bridge (+ static IPAM), then portmap when ports are published. */
    static List<ObjectNode> plugins(Network n, AttachRequest r) {
        Cidr subnet = n.cidr();
        ObjectNode bridge = Json.MAPPER.createObjectNode();
        bridge.put("type", "bridge");
        bridge.put("bridge", n.bridge());
        bridge.put("isGateway", true);
        bridge.put("isDefaultGateway", !n.internal());
        bridge.put("ipMasq", false);
        bridge.put("hairpinMode", true);
        String mtu = n.options().get("com.docker.network.driver.mtu");
        if (mtu != null && mtu.matches("\\d{3,5}")) {
            bridge.put("mtu", Integer.parseInt(mtu));
        }
        ObjectNode ipam = bridge.putObject("ipam");
        ipam.put("type", "static");
        ObjectNode addr = ipam.putArray("addresses").addObject();
        addr.put("address", r.address() + "/" + subnet.prefix());
        if (!n.gateway().isEmpty()) {
            addr.put("gateway", n.gateway());
        }
        if (n.enableIpv6() && !r.address6().isEmpty()) {
            // the bridge plugin gives the interface both addresses, and with isDefaultGateway a default route per
            // family; hairpin mode makes it turn off duplicate address detection in the container, so the address
            // is usable at once (no wait in its ADD for the address to settle)
            ObjectNode addr6 = ipam.withArray("addresses").addObject();
            addr6.put("address", r.address6() + "/" + n.ipv6().cidr().prefix());
            addr6.put("gateway", n.ipv6().gateway());
        }
        List<ObjectNode> out = new ArrayList<>(List.of(bridge));
        if (!r.mac().isEmpty()) {
            // the bridge plugin of containernetworking-plugins 1.1 cannot set a MAC; tuning can
            ObjectNode tuning = Json.MAPPER.createObjectNode();
            tuning.put("type", "tuning");
            tuning.put("mac", r.mac());
            out.add(tuning);
        }
        if (!r.ports().isEmpty()) {
            ObjectNode portmap = Json.MAPPER.createObjectNode();
            portmap.put("type", "portmap");
            portmap.putObject("capabilities").put("portMappings", true);
            portmap.put("snat", true);
            if (n.enableIpv6()) {
                // a dual-stack container's ports are DNATed over IPv6 too (the client's address kept, as dockerd 27+
                // does), but not those to ::1: the kernel cannot route loopback out to the bridge, and the daemon's
                // relay serves them (as it serves a port published on one IPv6 address, left out below)
                ArrayNode conditions = portmap.putArray("conditionsV6");
                conditions.add("!").add("-d").add("::1/128");
            }
            ArrayNode maps = portmap.putObject("runtimeConfig").putArray("portMappings");
            for (PortBinding p : r.ports()) {
                if (p.hostIp().contains(":")) {
                    continue; // relayed by the daemon (SocketPortProbe), never NATed
                }
                ObjectNode m = maps.addObject();
                m.put("hostPort", p.hostPort());
                m.put("containerPort", p.containerPort());
                m.put("protocol", p.protocol());
                if (!p.hostIp().isEmpty()) {
                    m.put("hostIP", p.hostIp());
                }
            }
            if (!maps.isEmpty()) {
                out.add(portmap);
            }
        }
        return out;
    }
}

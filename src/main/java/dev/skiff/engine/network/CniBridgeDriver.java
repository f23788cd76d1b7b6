package dev.skiff.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.network.ports.PortBinding;
import dev.skiff.sys.Json;
import java.io.IOException;
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

    public CniBridgeDriver(Path pluginDir, String iptables) {
        this.cni = new CniExec(pluginDir);
        this.rules = new BridgeRules(iptables);
    }

    @Override
    public String name() {
        return "bridge";
    }

    @Override
    public void setUp(Network network) {
        rules.install(network);
    }

    @Override
    public Attachment attach(Network network, AttachRequest r) {
        List<ObjectNode> plugins = plugins(network, r);
        JsonNode result;
        try {
            result = cni.add(network.name(), plugins, r.containerId(), r.netns(), r.ifName());
        } catch (RuntimeException e) {
            try {
                cni.del(network.name(), plugins, r.containerId(), r.netns(), r.ifName());
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
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

    @Override
    public void check(Network network, AttachRequest r, String state) {
        JsonNode result;
        try {
            result = Json.MAPPER.readTree(state);
        } catch (java.io.IOException e) {
            throw new dev.skiff.errors.InternalException("unreadable CNI result of " + r.containerId() + ": " + e.getMessage(), e);
        }
        cni.check(network.name(), plugins(network, r), result, r.containerId(), r.netns(), r.ifName());
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
    public void tearDown(Network network) {
        rules.remove(network);
        try {
            Process p = new ProcessBuilder("ip", "link", "del", network.bridge()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no bridge device was ever made, or iproute2 is missing: nothing to remove then
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
            ArrayNode maps = portmap.putObject("runtimeConfig").putArray("portMappings");
            for (PortBinding p : r.ports()) {
                ObjectNode m = maps.addObject();
                m.put("hostPort", p.hostPort());
                m.put("containerPort", p.containerPort());
                m.put("protocol", p.protocol());
                if (!p.hostIp().isEmpty()) {
                    m.put("hostIP", p.hostIp());
                }
            }
            out.add(portmap);
        }
        return out;
    }
}

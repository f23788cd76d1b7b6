package dev.skiff.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Legacy container links (HostConfig.Links, {@code docker run --link name[:alias]}), as dockerd keeps them: stored
 * as "/target:/container/alias"; at start the target must be running. On the default bridge a link is an
 * /etc/hosts line ("IP alias hostname name") and Docker's link variables (ALIAS_NAME, ALIAS_PORT_80_TCP...,
 * ALIAS_ENV_*); on a user-defined network it is a name the embedded DNS answers for this container alone.
 */
public final class Links {
    /** One link: the target container (by id, which survives renames) and the name this container uses for it. */
    public record Link(String targetId, String targetName, String alias) {
    }

    private Links() {
    }

    /**
     * Checks and rewrites HostConfig.Links at create: each target must exist; "db" and "db:alias" become
     * "/db:/NAME/alias" (inspect shows that form, as Docker's). Links make no sense with another container's or
     * the host's network: refused as dockerd refuses them.
     */
    static void normalize(ObjectNode hostConfig, String containerName, Function<String, Optional<Container>> lookup) {
        List<String> links = ConfigMerger.strings(hostConfig.get("Links"));
        if (links.isEmpty()) {
            return;
        }
        String mode = ConfigMerger.text(hostConfig, "NetworkMode");
        if (mode.equals("host")) {
            throw new InvalidArgumentException("conflicting options: host type networking can't be used with links. "
                    + "This would result in undefined behavior");
        }
        if (mode.startsWith("container:")) {
            throw new InvalidArgumentException("conflicting options: container type network can't be used with links. "
                    + "This would result in undefined behavior");
        }
        ArrayNode out = hostConfig.putArray("Links");
        Set<String> aliases = new HashSet<>();
        for (String link : links) {
            String[] parts = parse(link);
            // not 404: the docker CLI would take a missing link target for a missing image and try to pull it
            Container target = lookup.apply(parts[0]).orElseThrow(() -> new InvalidArgumentException(
                    "could not get container for " + parts[0] + ": No such container: " + parts[0]
                            + " (a link names an existing container: --link NAME[:ALIAS])"));
            if (!aliases.add(parts[1].toLowerCase(Locale.ROOT))) {
                throw new InvalidArgumentException("invalid link " + link + ": the alias " + parts[1]
                        + " is already used by another link of this container");
            }
            out.add("/" + target.shortName() + ":/" + containerName.replaceFirst("^/", "") + "/" + parts[1]);
        }
    }

    /** {target, alias} of "name", "name:alias", "/name:/container/alias". */
    public static String[] parse(String link) {
        String[] kv = link.split(":", -1);
        if (kv.length > 2 || kv[0].replace("/", "").isEmpty()) {
            throw new InvalidArgumentException("invalid link format " + link + ": write NAME or NAME:ALIAS");
        }
        String target = kv[0].replaceFirst("^/", "");
        String alias = kv.length == 2 ? kv[1].substring(kv[1].lastIndexOf('/') + 1) : target;
        if (alias.isEmpty() || !alias.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            throw new InvalidArgumentException("invalid link alias in " + link + ": use letters, digits, _ . -");
        }
        return new String[] {target, alias};
    }

    /**
     * The container's links with their targets, each of which must be running now (dockerd refuses the start
     * otherwise).
     */
    static List<Link> running(Container c, Function<String, Optional<Container>> lookup) {
        List<Link> out = new ArrayList<>();
        for (String link : ConfigMerger.strings(c.hostConfig().get("Links"))) {
            String[] parts = parse(link);
            Container target = lookup.apply(parts[0]).filter(t -> t.state().running()).orElseThrow(() ->
                    new ConflictException("Cannot link to a non running container: /" + parts[0] + " AS /"
                            + c.shortName() + "/" + parts[1] + " (start " + parts[0] + " first)"));
            out.add(new Link(target.id(), target.shortName(), parts[1]));
        }
        return out;
    }

    /** The /etc/hosts entries as --add-host would give them ("alias hostname [name]:IP"), for targets with an IP. */
    static List<String> hostEntries(List<Link> links, Function<String, Container> containers,
                                    Function<String, String> bridgeIp) {
        List<String> out = new ArrayList<>();
        for (Link l : links) {
            String ip = bridgeIp.apply(l.targetId());
            if (ip == null || ip.isEmpty()) {
                continue;
            }
            String names = l.alias() + " " + ConfigMerger.text(containers.apply(l.targetId()).config(), "Hostname");
            if (!l.alias().equals(l.targetName())) {
                names += " " + l.targetName();
            }
            out.add(names + ":" + ip);
        }
        return out;
    }

    /**
     * Docker's link variables, in dockerd's order: ALIAS_PORT for the first exposed port (TCP ports first, then by
     * number), per port ALIAS_PORT_80_TCP=tcp://IP:80 with _ADDR, _PORT and _PROTO, for each run of consecutive
     * ports of one protocol ALIAS_PORT_8000_TCP_START/_PORT_START/_END/_PORT_END under its first port,
     * ALIAS_NAME=/container/alias, and ALIAS_ENV_X for the target's Env but HOME and PATH.
     */
    static List<String> environment(Container self, List<Link> links, Function<String, Container> containers,
                                    Function<String, String> bridgeIp) {
        List<String> env = new ArrayList<>();
        for (Link l : links) {
            String ip = bridgeIp.apply(l.targetId());
            if (ip == null || ip.isEmpty()) {
                continue;
            }
            Container target = containers.apply(l.targetId());
            String prefix = l.alias().toUpperCase(Locale.ROOT).replace('-', '_');
            portVariables(env, prefix, exposedPorts(target), ip);
            env.add(prefix + "_NAME=/" + self.shortName() + "/" + l.alias());
            for (String e : ConfigMerger.strings(target.config().get("Env"))) {
                int eq = e.indexOf('=');
                if (eq > 0 && !e.startsWith("HOME=") && !e.startsWith("PATH=")) {
                    env.add(prefix + "_ENV_" + e.substring(0, eq) + "=" + e.substring(eq + 1));
                }
            }
        }
        return env;
    }

    /** An exposed port: its number and protocol ("tcp", "udp", "sctp"). */
    private record Port(int number, String proto) {
    }

    /** The target's ExposedPorts, TCP first, then by protocol name, each protocol by number (dockerd's order). */
    private static List<Port> exposedPorts(Container target) {
        List<Port> ports = new ArrayList<>();
        JsonNode exposed = target.config().path("ExposedPorts");
        for (Map.Entry<String, JsonNode> p : (Iterable<Map.Entry<String, JsonNode>>) exposed::fields) {
            String[] pp = p.getKey().split("/");
            if (pp[0].matches("\\d{1,5}")) {
                ports.add(new Port(Integer.parseInt(pp[0]), pp.length > 1 ? pp[1].toLowerCase(Locale.ROOT) : "tcp"));
            }
        }
        ports.sort(Comparator.<Port>comparingInt(p -> p.proto().equals("tcp") ? 0 : 1)
                .thenComparing(Port::proto).thenComparingInt(Port::number));
        return ports;
    }

    private static void portVariables(List<String> env, String prefix, List<Port> ports, String ip) {
        if (ports.isEmpty()) {
            return;
        }
        env.add(prefix + "_PORT=" + url(ports.getFirst(), ip));
        Port start = ports.getFirst();
        Port end = start;
        for (int i = 0; i < ports.size(); i++) {
            Port p = ports.get(i);
            String key = key(prefix, p);
            env.add(key + "=" + url(p, ip));
            env.add(key + "_ADDR=" + ip);
            env.add(key + "_PORT=" + p.number());
            env.add(key + "_PROTO=" + p.proto());
            if (i > 0 && p.number() == end.number() + 1 && p.proto().equals(end.proto())) {
                end = p; // the run goes on
                if (i < ports.size() - 1) {
                    continue;
                }
            }
            if (!end.equals(start)) {
                String range = key(prefix, start);
                env.add(range + "_START=" + url(start, ip));
                env.add(range + "_PORT_START=" + start.number());
                env.add(range + "_END=" + url(end, ip));
                env.add(range + "_PORT_END=" + end.number());
            }
            start = p;
            end = p;
        }
    }

    private static String key(String prefix, Port p) {
        return prefix + "_PORT_" + p.number() + "_" + p.proto().toUpperCase(Locale.ROOT);
    }

    private static String url(Port p, String ip) {
        return p.proto() + "://" + ip + ":" + p.number();
    }
}

package dev.skiff.engine;

import dev.skiff.errors.InvalidArgumentException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * docker ps: which containers to list. Filters (values of one key OR'd, keys AND'd): id, name, label, status,
 * exited, ancestor, before, since, health, isolation, network, volume. Newest first; limit/latest cut the list.
 */
public record ContainerFilter(boolean all, int limit, Map<String, List<String>> filters) {
    private static final Set<String> KNOWN = Set.of("id", "name", "label", "status", "exited", "ancestor", "before",
            "since", "health", "isolation", "network", "volume", "is-task", "publish", "expose");
    private static final Set<String> STATUSES = Set.of("created", "restarting", "running", "removing", "paused",
            "exited", "dead");
    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");

    public ContainerFilter {
        for (Map.Entry<String, List<String>> e : filters.entrySet()) {
            if (!KNOWN.contains(e.getKey())) {
                throw new InvalidArgumentException("invalid filter '" + e.getKey() + "'");
            }
            if (e.getKey().equals("status")) {
                for (String v : e.getValue()) {
                    if (!STATUSES.contains(v)) {
                        throw new InvalidArgumentException("invalid filter 'status=" + v
                                + "': use created, restarting, running, removing, paused, exited or dead");
                    }
                }
            }
            if (e.getKey().equals("exited")) {
                for (String v : e.getValue()) {
                    if (!v.matches("-?[0-9]{1,10}")) {
                        throw new InvalidArgumentException("invalid filter 'exited=" + v + "': use an exit code");
                    }
                }
            }
            if (e.getKey().equals("health")) {
                for (String v : e.getValue()) {
                    if (!HEALTH.contains(v)) {
                        throw new InvalidArgumentException("invalid filter 'health=" + v
                                + "': use starting, healthy, unhealthy or none");
                    }
                }
            }
        }
    }

    /**
     * Applies the filters; {@code imageMatches} answers whether a container's image is (or descends from)
     * the ancestor value given.
     */
    public List<Container> apply(Collection<Container> containers, Function<String, Container> resolve,
                                 ImageMatcher imageMatches) {
        return apply(containers, resolve, imageMatches, c -> "none");
    }

    /** As above; {@code health} gives a container's health status ("none" without a health check). */
    public List<Container> apply(Collection<Container> containers, Function<String, Container> resolve,
                                 ImageMatcher imageMatches, Function<Container, String> health) {
        return apply(containers, resolve, imageMatches, health, c -> List.of());
    }

    /** As above; {@code networks} gives the names and ids of the networks a container is connected to. */
    public List<Container> apply(Collection<Container> containers, Function<String, Container> resolve,
                                 ImageMatcher imageMatches, Function<Container, String> health,
                                 Function<Container, List<String>> networks) {
        return apply(containers, resolve, imageMatches, health, networks, c -> List.of());
    }

    /**
     * As above; {@code ports} gives a container's ports as its list entry shows them ("80/tcp" exposed, and
     * "8080/tcp" published for each binding): what publish= and expose= match, as dockerd's list does.
     */
    public List<Container> apply(Collection<Container> containers, Function<String, Container> resolve,
                                 ImageMatcher imageMatches, Function<Container, String> health,
                                 Function<Container, List<String>> networks, Function<Container, List<Port>> ports) {
        List<Container> sorted = new ArrayList<>(containers);
        sorted.sort(Comparator.comparing((Container c) -> Times.parse(c.created())).reversed().thenComparing(Container::id));
        boolean all = this.all || limit > 0 || filters.containsKey("status") || filters.containsKey("exited");
        String before = one("before");
        String since = one("since");
        Container beforeC = before == null ? null : resolve.apply(before);
        Container sinceC = since == null ? null : resolve.apply(since);
        List<Container> out = new ArrayList<>();
        for (Container c : sorted) {
            if (!all && !c.state().running()) {
                continue;
            }
            if (beforeC != null && !Times.parse(c.created()).isBefore(Times.parse(beforeC.created()))) {
                continue;
            }
            if (sinceC != null && !Times.parse(c.created()).isAfter(Times.parse(sinceC.created()))) {
                continue;
            }
            if (matches(c, imageMatches, health, networks, ports)) {
                out.add(c);
            }
            if (limit > 0 && out.size() == limit) {
                break;
            }
        }
        return out;
    }

    /**
     * dockerd's filters.Match: the value equals the text or, as a regular expression, is found in it (unanchored:
     * name=web matches "/my-web-1", name=^web$ only "web"); a value that is no valid expression matches nothing.
     */
    static boolean goMatch(String value, String text) {
        return dev.skiff.sys.FilterMatch.matches(value, text);
    }

    private boolean matches(Container c, ImageMatcher images, Function<Container, String> health,
                            Function<Container, List<String>> networks, Function<Container, List<Port>> ports) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> vs = f.getValue();
            if (vs.isEmpty()) {
                continue;
            }
            boolean ok = switch (f.getKey()) {
                case "id" -> vs.stream().anyMatch(v -> c.id().startsWith(v) || goMatch(v, c.id()));
                case "name" -> vs.stream().anyMatch(v -> goMatch(v, c.name()) || goMatch(v, c.shortName()));
                case "label" -> vs.stream().allMatch(v -> label(c, v));
                case "status" -> vs.contains(c.state().status());
                case "exited" -> !c.state().running() && c.state().status().equals(ContainerState.EXITED)
                        && vs.stream().anyMatch(v -> Long.parseLong(v) == c.state().exitCode());
                case "ancestor" -> vs.stream().anyMatch(v -> images.matches(c, v));
                case "health" -> vs.contains(health.apply(c));
                case "isolation" -> vs.contains("default");
                case "is-task" -> vs.contains("false"); // no swarm here: no container is a task
                case "network" -> vs.contains(ConfigMerger.text(c.hostConfig(), "NetworkMode"))
                        || vs.stream().anyMatch(networks.apply(c)::contains);
                case "volume" -> vs.stream().anyMatch(v -> mountsNameOrTarget(c, v));
                case "publish", "expose" -> ports.apply(c).stream().anyMatch(p -> portsWanted(f.getKey()).contains(
                        f.getKey().equals("publish") ? p.published() : p.exposed()));
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A port of a container's list entry: "80/tcp" inside, "8080/tcp" on the host (null when not published). */
    public record Port(String exposed, String published) {
    }

    /**
     * publish= or expose= values as "port/proto", dockerd's portOp: nat.SplitProtoPort (tcp by default) and
     * nat.ParsePortRange (ranges expanded), which {@link dev.skiff.sys.NatPorts} implements for -p and --expose.
     */
    private java.util.Set<String> portsWanted(String key) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String v : filters.get(key)) {
            String[] protoPort = dev.skiff.sys.NatPorts.splitProtoPort(v);
            try {
                int[] range = dev.skiff.sys.NatPorts.range(protoPort[1]);
                for (int port = range[0]; port <= range[1]; port++) {
                    out.add(port + "/" + protoPort[0]);
                }
            } catch (IllegalArgumentException e) {
                throw new InvalidArgumentException("invalid filter '" + key + "=" + v + "'");
            }
        }
        return out;
    }

    /** Docker's volume filter: a mount's volume name or host source, or its destination. */
    private static boolean mountsNameOrTarget(Container c, String v) {
        for (String b : ConfigMerger.strings(c.hostConfig().get("Binds"))) {
            String[] p = b.split(":");
            if (p[0].equals(v) || (p.length > 1 && p[1].equals(v))) {
                return true;
            }
        }
        for (com.fasterxml.jackson.databind.JsonNode m : c.hostConfig().path("Mounts")) {
            if (m.path("Source").asText("").equals(v) || m.path("Target").asText("").equals(v)) {
                return true;
            }
        }
        return c.config().path("Volumes").has(v);
    }

    private static boolean label(Container c, String filter) {
        int eq = filter.indexOf('=');
        Map<String, String> labels = c.labels();
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    private String one(String key) {
        List<String> v = filters.get(key);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** Whether container {@code c}'s image matches an ancestor filter value (name, ID or ID prefix). */
    @FunctionalInterface
    public interface ImageMatcher {
        boolean matches(Container c, String ancestor);
    }
}

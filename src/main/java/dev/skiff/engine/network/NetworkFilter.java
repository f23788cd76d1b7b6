package dev.skiff.engine.network;

import dev.skiff.engine.Times;
import dev.skiff.errors.InvalidArgumentException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The filters of docker network ls (driver, id, label, name, scope, type, dangling) and docker network prune
 * (until, label, label!). Values of one key are alternatives; keys must all match.
 */
record NetworkFilter(Map<String, List<String>> filters, List<Instant> until) {
    private static final Set<String> LIST_KEYS = Set.of("driver", "id", "label", "name", "scope", "type", "dangling");
    private static final Set<String> PRUNE_KEYS = Set.of("until", "label", "label!");

    static NetworkFilter of(Map<String, List<String>> filters) {
        return checked(filters, LIST_KEYS);
    }

    static NetworkFilter forPrune(Map<String, List<String>> filters) {
        return checked(filters, PRUNE_KEYS);
    }

    private static NetworkFilter checked(Map<String, List<String>> filters, Set<String> keys) {
        for (String k : filters.keySet()) {
            if (!keys.contains(k)) {
                throw new InvalidArgumentException("invalid filter '" + k + "'");
            }
        }
        if (filters.containsKey("type")) {
            for (String t : filters.get("type")) {
                if (!t.equals("custom") && !t.equals("builtin")) {
                    throw new InvalidArgumentException("invalid filter: 'type'='" + t + "'");
                }
            }
        }
        // parsed here, once: a bad time is refused whether or not a network is there to compare it with, as
        // dockerd refuses it
        List<Instant> until = filters.getOrDefault("until", List.of()).stream().map(Times::parseApiTime).toList();
        return new NetworkFilter(Map.copyOf(filters), until);
    }

    boolean matches(Network n, boolean inUse) {
        for (Map.Entry<String, List<String>> e : filters.entrySet()) {
            List<String> vs = e.getValue();
            boolean ok = switch (e.getKey()) {
                case "driver" -> vs.contains(n.driver());
                case "id" -> vs.stream().anyMatch(v -> n.id().startsWith(v));
                // a regular expression, as dockerd's filters.Match reads it
                case "name" -> vs.stream().anyMatch(v -> dev.skiff.sys.FilterMatch.matches(v, n.name()));
                case "scope" -> vs.contains("local");
                case "type" -> vs.contains(n.predefined() ? "builtin" : "custom");
                case "dangling" -> vs.stream().anyMatch(v -> (v.equals("true") || v.equals("1")) == !inUse);
                case "label" -> vs.stream().allMatch(v -> hasLabel(n, v));
                case "label!" -> vs.stream().noneMatch(v -> hasLabel(n, v));
                case "until" -> until.stream().allMatch(Instant.parse(n.created())::isBefore);
                default -> true;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLabel(Network n, String spec) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return n.labels().containsKey(spec);
        }
        return spec.substring(eq + 1).equals(n.labels().get(spec.substring(0, eq)));
    }
}

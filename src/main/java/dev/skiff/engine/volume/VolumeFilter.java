package dev.skiff.engine.volume;

import dev.skiff.errors.InvalidArgumentException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Docker's volume filters: ls takes dangling, driver, label, name; prune takes label, label! and all. */
final class VolumeFilter {
    private static final Set<String> LIST_KEYS = Set.of("dangling", "driver", "label", "name");
    private static final Set<String> PRUNE_KEYS = Set.of("label", "label!", "all");

    private final Map<String, List<String>> filters;
    private final boolean pruneAll;

    private VolumeFilter(Map<String, List<String>> filters, boolean pruneAll) {
        this.filters = filters;
        this.pruneAll = pruneAll;
    }

    static VolumeFilter forList(Map<String, List<String>> filters) {
        check(filters, LIST_KEYS);
        for (String d : filters.getOrDefault("dangling", List.of())) {
            bool("dangling", d);
        }
        return new VolumeFilter(filters, true);
    }

    static VolumeFilter forPrune(Map<String, List<String>> filters) {
        check(filters, PRUNE_KEYS);
        boolean all = filters.getOrDefault("all", List.of()).stream().anyMatch(v -> bool("all", v));
        return new VolumeFilter(filters, all);
    }

    boolean matches(Volume v, boolean inUse) {
        if (!pruneAll && !v.anonymous()) {
            return false;
        }
        for (String d : filters.getOrDefault("dangling", List.of())) {
            if (bool("dangling", d) == inUse) {
                return false;
            }
        }
        List<String> drivers = filters.getOrDefault("driver", List.of());
        if (!drivers.isEmpty() && !drivers.contains(v.driver())) {
            return false;
        }
        List<String> names = filters.getOrDefault("name", List.of());
        if (!names.isEmpty() && names.stream().noneMatch(n -> dev.skiff.sys.FilterMatch.matches(n, v.name()))) {
            return false;
        }
        Map<String, String> labels = v.labelsOrEmpty();
        if (!filters.getOrDefault("label", List.of()).stream().allMatch(l -> hasLabel(labels, l))) {
            return false;
        }
        return filters.getOrDefault("label!", List.of()).stream().noneMatch(l -> hasLabel(labels, l));
    }

    private static boolean hasLabel(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    private static void check(Map<String, List<String>> filters, Set<String> allowed) {
        for (String key : filters.keySet()) {
            if (!allowed.contains(key)) {
                throw new InvalidArgumentException("invalid filter '" + key + "'");
            }
        }
    }

    private static boolean bool(String key, String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw new InvalidArgumentException("invalid filter '" + key + "=" + value + "'");
        };
    }
}

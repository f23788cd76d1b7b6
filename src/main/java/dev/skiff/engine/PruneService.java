package dev.skiff.engine;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.SkiffException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** docker container prune: removes stopped containers matching "until" and "label"/"label!" filters. */
public final class PruneService {
    /** What prune answers. */
    public record Result(List<String> deleted, long spaceReclaimed) {
    }

    private final ContainerService containers;

    public PruneService(ContainerService containers) {
        this.containers = containers;
    }

    public Result prune(Map<String, List<String>> filters) {
        for (String key : filters.keySet()) {
            if (!List.of("until", "label", "label!").contains(key)) {
                throw new InvalidArgumentException("invalid filter '" + key + "' (prune takes until, label and label!)");
            }
        }
        Instant until = filters.getOrDefault("until", List.of()).stream().map(Times::parseApiTime).findFirst().orElse(null);
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Container c : containers.all()) {
            if (c.state().running() || c.state().status().equals(ContainerState.REMOVING)) {
                continue;
            }
            if (until != null && !Times.parse(c.created()).isBefore(until)) {
                continue;
            }
            if (!labelsMatch(c, filters.getOrDefault("label", List.of()), true)
                    || !labelsMatch(c, filters.getOrDefault("label!", List.of()), false)) {
                continue;
            }
            long size = DiskUsage.of(containers.snapshotter().upperDir(c.id()));
            try {
                containers.remove(c.id(), false);
                deleted.add(c.id());
                reclaimed += size;
            } catch (SkiffException e) {
                // started or removed meanwhile: not ours to prune
            }
        }
        containers.events().publish("container", "prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
        return new Result(deleted, reclaimed);
    }

    private static boolean labelsMatch(Container c, List<String> filters, boolean wanted) {
        Map<String, String> labels = c.labels();
        for (String f : filters) {
            int eq = f.indexOf('=');
            boolean has = eq < 0 ? labels.containsKey(f) : f.substring(eq + 1).equals(labels.get(f.substring(0, eq)));
            if (has != wanted) {
                return false;
            }
        }
        return true;
    }
}

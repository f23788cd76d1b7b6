package dev.skiff.build.dockerfile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stages a build must run, in an order where every stage comes after the stages it depends on; the
 * last one is the target. {@link #waves()} groups them so that the stages of one wave depend only on
 * earlier waves: they may build in parallel.
 */
public record BuildPlan(List<PlannedStage> stages, PlannedStage target) {
    public BuildPlan {
        stages = List.copyOf(stages);
    }

    public List<List<PlannedStage>> waves() {
        Map<Integer, Integer> level = new HashMap<>();
        List<List<PlannedStage>> waves = new ArrayList<>();
        for (PlannedStage s : stages) {
            int l = 0;
            for (int dep : s.dependsOn()) {
                l = Math.max(l, level.get(dep) + 1);
            }
            level.put(s.index(), l);
            while (waves.size() <= l) {
                waves.add(new ArrayList<>());
            }
            waves.get(l).add(s);
        }
        return waves.stream().map(List::copyOf).toList();
    }

    /** The planned stage at {@code index}, if the build needs it. */
    public java.util.Optional<PlannedStage> stage(int index) {
        return stages.stream().filter(s -> s.index() == index).findFirst();
    }
}

package dev.skiff.build.dockerfile;

import java.util.Set;

/**
 * A stage the build needs, with its FROM resolved.
 *
 * @param stage     the parsed stage
 * @param base      the FROM image after substituting the global ARGs: an image reference, "scratch", or
 *                  (when {@code baseStage} is set) the name of the stage it builds on
 * @param baseStage index of the stage this one starts from, or null when it starts from an image/scratch
 * @param platform  the --platform value substituted, or null
 * @param dependsOn indexes of every stage this one needs first (its base stage, COPY --from and
 *                  RUN --mount from= stages)
 * @param images    image references (substituted) named by COPY --from or RUN --mount from= that are not
 *                  stages: the executor pulls/resolves them
 */
public record PlannedStage(Stage stage, String base, Integer baseStage, String platform, Set<Integer> dependsOn,
                           Set<String> images) {
    public PlannedStage {
        dependsOn = Set.copyOf(dependsOn);
        images = Set.copyOf(images);
    }

    public int index() {
        return stage.index();
    }

    public boolean fromScratch() {
        return baseStage == null && base.equalsIgnoreCase("scratch");
    }
}

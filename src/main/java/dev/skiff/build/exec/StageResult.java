package dev.skiff.build.exec;

/**
 * A finished stage: the image its last step produced ("" for an empty scratch stage) and its position in the
 * plan, for COPY --from, RUN --mount from= and FROM of later stages.
 */
public record StageResult(int index, String imageId) {
}

package dev.skiff.image;

import java.util.Optional;

/**
 * Which containers use an image, as `docker rmi` asks: a running one is a conflict even --force cannot override, a
 * stopped one a conflict it can, and dockerd's messages name the first of each. A build in progress that stands on
 * the image counts as a running container does.
 */
public interface ImageUsers {
    /** No container uses anything (tests, tools without containers). */
    ImageUsers NONE = building(imageId -> false);

    /** Users that are builds only: those {@code building} accepts, no containers. */
    static ImageUsers building(java.util.function.Predicate<String> building) {
        return new ImageUsers() {
            @Override
            public Optional<String> running(String imageId) {
                return Optional.empty();
            }

            @Override
            public Optional<String> stopped(String imageId) {
                return Optional.empty();
            }

            @Override
            public boolean building(String imageId) {
                return building.test(imageId);
            }
        };
    }

    /** The ID of a running (or paused) container of {@code imageId}, if there is one. */
    Optional<String> running(String imageId);

    /** The ID of a container of {@code imageId} that has no process (created, exited, restarting), if any. */
    Optional<String> stopped(String imageId);

    /** Whether a build in progress stands on the image (its base, a step's result, a source it copies from). */
    default boolean building(String imageId) {
        return false;
    }

    /** Whether any container or build uses the image. */
    default boolean inUse(String imageId) {
        return running(imageId).isPresent() || stopped(imageId).isPresent() || building(imageId);
    }

    /** The users of {@code a} and those of {@code b}: the daemon's containers and its builds. */
    static ImageUsers both(ImageUsers a, ImageUsers b) {
        return new ImageUsers() {
            @Override
            public Optional<String> running(String imageId) {
                return a.running(imageId).or(() -> b.running(imageId));
            }

            @Override
            public Optional<String> stopped(String imageId) {
                return a.stopped(imageId).or(() -> b.stopped(imageId));
            }

            @Override
            public boolean building(String imageId) {
                return a.building(imageId) || b.building(imageId);
            }
        };
    }
}

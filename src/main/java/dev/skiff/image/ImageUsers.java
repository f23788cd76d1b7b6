package dev.skiff.image;

import java.util.Optional;

/**
 * Which containers use an image, as `docker rmi` asks: a running one is a conflict even --force cannot override, a
 * stopped one a conflict it can, and dockerd's messages name the first of each.
 */
public interface ImageUsers {
    /** No container uses anything (tests, tools without containers). */
    ImageUsers NONE = new ImageUsers() {
        @Override
        public Optional<String> running(String imageId) {
            return Optional.empty();
        }

        @Override
        public Optional<String> stopped(String imageId) {
            return Optional.empty();
        }
    };

    /** The ID of a running (or paused) container of {@code imageId}, if there is one. */
    Optional<String> running(String imageId);

    /** The ID of a container of {@code imageId} that has no process (created, exited, restarting), if any. */
    Optional<String> stopped(String imageId);

    /** Whether any container uses the image. */
    default boolean inUse(String imageId) {
        return running(imageId).isPresent() || stopped(imageId).isPresent();
    }
}

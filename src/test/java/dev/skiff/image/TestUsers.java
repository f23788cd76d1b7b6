package dev.skiff.image;

import java.util.Optional;
import java.util.function.Predicate;

/** Image users for tests: the images {@code running}/{@code stopped} accept have a container "c0ffee..." of that kind. */
public final class TestUsers {
    public static final String CONTAINER = "c0ffee0000000000000000000000000000000000000000000000000000000000";

    private TestUsers() {
    }

    public static ImageUsers stopped(Predicate<String> images) {
        return of(id -> false, images);
    }

    public static ImageUsers running(Predicate<String> images) {
        return of(images, id -> false);
    }

    private static ImageUsers of(Predicate<String> running, Predicate<String> stopped) {
        return new ImageUsers() {
            @Override
            public Optional<String> running(String imageId) {
                return running.test(imageId) ? Optional.of(CONTAINER) : Optional.empty();
            }

            @Override
            public Optional<String> stopped(String imageId) {
                return stopped.test(imageId) ? Optional.of(CONTAINER) : Optional.empty();
            }
        };
    }
}

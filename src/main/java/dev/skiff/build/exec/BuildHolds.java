package dev.skiff.build.exec;

import dev.skiff.image.ImageService;
import dev.skiff.image.ImageUsers;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The images running builds stand on. A build holds its base images, the images its steps make and the images it
 * copies or mounts from until it ends, and `docker rmi` and the prunes see them as in use by a build (a forced
 * removal is refused, as for an image a running container uses). Without it an `rmi -f` of a build's base image, or
 * an `image prune` catching a step's fresh image, deleted the layers under the step running on them.
 */
public final class BuildHolds {
    private final Set<Holder> open = ConcurrentHashMap.newKeySet();

    /** One build's holds, given up when it closes. */
    public Holder open() {
        Holder h = new Holder();
        open.add(h);
        return h;
    }

    /** What image removal and the prunes ask: whether some build in progress stands on the image. */
    public ImageUsers users() {
        return ImageUsers.building(imageId -> open.stream().anyMatch(h -> h.ids.contains(imageId)));
    }

    /** The images one build holds. */
    public final class Holder implements AutoCloseable {
        private final Set<String> ids = ConcurrentHashMap.newKeySet();

        private Holder() {
        }

        /**
         * Holds the image {@code nameOrId} names, if there is one, in the same step as the lookup, so that no
         * removal runs between the two.
         */
        public Optional<String> hold(ImageService images, String nameOrId) {
            if (ids.contains(nameOrId)) {
                return Optional.of(nameOrId); // held already: no removal can have taken it, so no lookup again
            }
            return images.findIdAndHold(nameOrId, ids::add);
        }

        /** Holds an image about to be stored under {@code id} (a commit's), before anything can see it. */
        public void holdNew(String id) {
            ids.add(id);
        }

        @Override
        public void close() {
            open.remove(this);
        }
    }
}

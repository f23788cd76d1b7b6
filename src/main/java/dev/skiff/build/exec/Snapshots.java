package dev.skiff.build.exec;

import dev.skiff.image.Image;
import dev.skiff.image.ImageService;
import dev.skiff.runtime.Snapshotter;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * The builder's overlay snapshots (separate from the containers', under {@code <data-root>/builder/}): one per
 * filesystem step over the current image's layers, and read-only views of other stages for COPY --from and
 * RUN --mount from=. Every snapshot is removed when its holder closes, so a failed or cancelled build leaves none.
 */
public final class Snapshots {
    private final Snapshotter snapshotter;
    private final ImageService images;

    public Snapshots(Snapshotter snapshotter, ImageService images) {
        this.snapshotter = snapshotter;
        this.images = images;
    }

    /** A mounted snapshot: {@link #rootfs()} while mounted, {@link #upper()} holds the changes. */
    public final class Mounted implements AutoCloseable {
        private final String key;
        private final Path rootfs;

        private Mounted(String key, Path rootfs) {
            this.key = key;
            this.rootfs = rootfs;
        }

        public String key() {
            return key;
        }

        public Path rootfs() {
            return rootfs;
        }

        public Path upper() {
            return snapshotter.upperDir(key);
        }

        public void unmount() {
            snapshotter.unmount(key);
        }

        @Override
        public void close() {
            snapshotter.remove(key);
        }
    }

    /** Mounts a new writable snapshot over {@code imageId}'s layers ("" or null: an empty root). */
    public Mounted mount(String imageId) {
        return mountOver(layerDirs(imageId));
    }

    /** The layer directories of {@code imageId} ("" or null: none), bottom first. */
    public List<Path> layerDirs(String imageId) {
        return imageId == null || imageId.isEmpty() ? List.of() : images.layerDirs(image(imageId));
    }

    /**
     * Mounts a new writable snapshot over the given directories, bottom first: an image's layers, with perhaps the
     * upper directory of a step whose commit is still under way on top (see {@link StageBuilder}).
     */
    public Mounted mountOver(List<Path> lowers) {
        String key = "b" + UUID.randomUUID().toString().replace("-", "");
        snapshotter.prepare(key, lowers, Snapshotter.Writes.DISPOSABLE); // committed layers are flushed then
        try {
            return new Mounted(key, snapshotter.mount(key));
        } catch (RuntimeException e) {
            snapshotter.remove(key);
            throw e;
        }
    }

    /** A writable copy-on-write view of a host directory, whose changes are thrown away on close. */
    public Mounted mountDirectory(Path dir) {
        String key = "b" + UUID.randomUUID().toString().replace("-", "");
        snapshotter.prepare(key, List.of(dir), Snapshotter.Writes.DISPOSABLE);
        try {
            return new Mounted(key, snapshotter.mount(key));
        } catch (RuntimeException e) {
            snapshotter.remove(key);
            throw e;
        }
    }

    private Image image(String id) {
        return images.resolve(id);
    }
}

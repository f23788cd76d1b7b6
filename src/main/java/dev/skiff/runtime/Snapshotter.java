package dev.skiff.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * Copy-on-write root filesystems for containers: read-only layer directories below, a private
 * writable directory on top.
 *
 * <p>Lifecycle: {@link #prepare} makes the writable layer (no mount yet); {@link #mount} mounts it
 * and returns the merged directory; {@link #unmount} undoes that; {@link #remove} deletes the writable
 * layer. Every call is idempotent, so start-up reconciliation can repeat any of them.
 */
public interface Snapshotter {
    /**
     * Whether a writable layer's writes must be on disk once it is unmounted. {@link #DISPOSABLE} is for a layer
     * whose content is either thrown away or flushed by whoever keeps it: a build step's (committed as a layer,
     * which the layer store flushes before it becomes visible) or a --rm container's (removed when it exits).
     * Such a layer may skip what an overlay unmount otherwise does, a flush of the whole filesystem below it
     * (~40 ms after a 50 MiB COPY here), and an fsync inside it may then return without writing (overlayfs
     * "volatile"; containers/storage has the same flag for Podman's containers). A snapshotter may treat
     * DISPOSABLE as DURABLE.
     */
    enum Writes {
        DURABLE, DISPOSABLE
    }

    /** Creates the writable layer {@code key} over {@code lowerDirs} (bottom layer first). */
    void prepare(String key, List<Path> lowerDirs);

    /** {@link #prepare(String, List)} with the given {@link Writes}. */
    default void prepare(String key, List<Path> lowerDirs, Writes writes) {
        prepare(key, lowerDirs);
    }

    /**
     * Like {@link #prepare}, for a container: with an init layer between {@code lowerDirs} and the writable layer
     * holding the mount points the runtime needs (empty /etc/hosts, /etc/hostname, /etc/resolv.conf, /.dockerenv,
     * /dev/console, /etc/mtab, and /proc, /sys, /dev/pts, /dev/shm where the image lacks them), as dockerd's
     * init layer: so the container's own changes (diff, commit) never include them.
     */
    void prepareContainer(String key, List<Path> lowerDirs);

    /** {@link #prepareContainer(String, List)} with the given {@link Writes}. */
    default void prepareContainer(String key, List<Path> lowerDirs, Writes writes) {
        prepareContainer(key, lowerDirs);
    }

    /** The read-only directories beneath the writable layer, bottom first (an init layer last); empty if unknown. */
    List<Path> lowerDirs(String key);

    /** Mounts the snapshot and returns the merged root directory. */
    Path mount(String key);

    void unmount(String key);

    /** Unmounts if needed and deletes the writable layer. */
    void remove(String key);

    /** The writable layer's directory (overlay "upper"): its content is the container's changes. */
    Path upperDir(String key);

    boolean isMounted(String key);
}

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
    /** Creates the writable layer {@code key} over {@code lowerDirs} (bottom layer first). */
    void prepare(String key, List<Path> lowerDirs);

    /** Mounts the snapshot and returns the merged root directory. */
    Path mount(String key);

    void unmount(String key);

    /** Unmounts if needed and deletes the writable layer. */
    void remove(String key);

    /** The writable layer's directory (overlay "upper"): its content is the container's changes. */
    Path upperDir(String key);

    boolean isMounted(String key);
}

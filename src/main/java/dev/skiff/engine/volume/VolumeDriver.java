package dev.skiff.engine.volume;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A volume driver: owns where a volume's data lives and how it is made reachable. Lifecycle: {@link #create}
 * once, then any number of {@link #mount}/{@link #unmount} pairs (one per user, reference counted: the data
 * stays reachable while any user holds it), then {@link #remove} when nobody holds it.
 * Every implementation passes {@code VolumeDriverContract}.
 */
public interface VolumeDriver {
    /** The name users give with --driver ("local"). */
    String name();

    /**
     * Validates {@code options} and makes the volume's storage. Creating a name that already has storage keeps it.
     *
     * @return the mountpoint: where containers find the data once mounted
     * @throws dev.skiff.errors.InvalidArgumentException for a bad name or option (nothing is created then)
     */
    Path create(String name, Map<String, String> options);

    /** Makes the data reachable for {@code ref} (a container ID); the first user may trigger a real mount. */
    Path mount(Volume volume, String ref);

    /** {@code ref} is done; the last user going releases a real mount. Unknown refs are ignored. */
    void unmount(Volume volume, String ref);

    /** The users currently holding the volume. */
    Set<String> users(Volume volume);

    /** Deletes the storage and its data; the caller checked that nobody uses it. */
    void remove(Volume volume);

    /** Bytes the volume's data takes, or -1 when the driver cannot tell. */
    long size(Volume volume);

    /**
     * After a daemon restart: {@code users} still hold the volume (their containers run), so its refcount is
     * rebuilt from them; with none, a mount left behind by the old daemon is released.
     */
    void reconcile(Volume volume, Set<String> users);

    /**
     * At daemon start: removes storage of volumes the store does not know (a crash between making the storage
     * and recording the volume), as long as it holds no data and nothing is mounted there.
     */
    default void dropUnknown(Set<String> known) {
    }
}

package dev.skiff.build.context;

import dev.skiff.sys.FileTrees;
import dev.skiff.sys.MountTable;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directory a received build context is unpacked into (in trees below it, one per build that reuses it). It
 * is on disk in the data root, beside the build's snapshots: COPY then hardlinks the context's files into its
 * layer instead of writing them again (see {@code UpperLinks}), which a tmpfs of its own, as contexts had before,
 * could not allow. Files nobody reads again leave the page cache like any others.
 */
public final class ContextPlacement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContextPlacement.class);

    private final Path dir;

    private ContextPlacement(Path dir) {
        this.dir = dir;
    }

    /** Unpack into {@code dir}. */
    public static ContextPlacement at(Path dir) {
        return new ContextPlacement(dir);
    }

    public Path dir() {
        return dir;
    }

    /** Deletes the context. */
    @Override
    public void close() throws IOException {
        FileTrees.delete(dir);
    }

    /**
     * Unmounts the context tmpfs mounts a crashed daemon of an earlier version (which kept contexts in memory) left
     * below {@code root}.
     */
    public static void unmountLeftovers(Path root) {
        String prefix = root.toAbsolutePath().normalize() + "/";
        for (MountTable.Entry m : MountTable.read()) {
            if (m.mountPoint().startsWith(prefix)) {
                try {
                    Syscalls.umount(Path.of(m.mountPoint()), Syscalls.MNT_DETACH);
                } catch (IOException e) {
                    LOG.warn("cannot unmount the build context tmpfs {} left by an earlier run: {}", m.mountPoint(),
                            e.getMessage());
                }
            }
        }
    }
}

package dev.skiff.build.context;

import dev.skiff.sys.FileTrees;
import dev.skiff.sys.MemInfo;
import dev.skiff.sys.MountTable;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a received build context is unpacked. Most contexts are small and live for one build, so they go to
 * {@code fast}: a tmpfs of the build's own (no journal or writeback, and unmounting it frees every file at
 * once) while their content stays under {@code budget} bytes; a context that grows past it is moved to
 * {@code spill} on disk and continues there, so a huge context never fills memory. Where no tmpfs can be
 * mounted, contexts go straight to disk.
 */
public final class ContextPlacement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ContextPlacement.class);
    /** At most this much of one context is held in memory (less when memory is short). */
    public static final long MAX_IN_MEMORY = 512L << 20;

    private final Path fast;
    private final long budget;
    private final Path spill;
    private final boolean mounted;

    /**
     * @param fast   an empty directory to unpack into first
     * @param budget bytes of memory (file content in whole pages) {@code fast} may take
     * @param spill  an empty directory on disk for a context past the budget (may equal {@code fast})
     */
    public ContextPlacement(Path fast, long budget, Path spill) {
        this(fast, budget, spill, false);
    }

    private ContextPlacement(Path fast, long budget, Path spill, boolean mounted) {
        this.fast = fast;
        this.budget = budget;
        this.spill = spill;
        this.mounted = mounted;
    }

    /** Unpack straight into {@code dir}, wherever it is. */
    public static ContextPlacement at(Path dir) {
        return new ContextPlacement(dir, Long.MAX_VALUE, dir);
    }

    /**
     * A tmpfs mounted on {@code fastDir} (created; it must not exist) for one context, of an eighth of the
     * available memory at most ({@link #MAX_IN_MEMORY}), spilling to {@code diskDir}; when the mount is refused,
     * straight to {@code diskDir}.
     */
    public static ContextPlacement inMemory(Path fastDir, Path diskDir) throws IOException {
        long budget = Math.min(MAX_IN_MEMORY, memAvailable() / 8);
        Files.createDirectory(fastDir);
        try {
            // three times the budget (a limit, not a reservation): the unpacker counts whole pages of one context,
            // the previous context may still be here while the next is unpacked next to it (see Builder), and
            // the rest is room for directories and links
            Syscalls.mount("skiff-build-context", fastDir, "tmpfs", Syscalls.MS_NOSUID | Syscalls.MS_NODEV | Syscalls.MS_NOEXEC,
                    "size=" + 3 * budget + ",mode=0700");
            return new ContextPlacement(fastDir, budget, diskDir, true);
        } catch (IOException e) {
            LOG.debug("build contexts go to disk: cannot mount a tmpfs on {}: {}", fastDir, e.getMessage());
            Files.delete(fastDir);
            return at(diskDir);
        }
    }

    public Path fast() {
        return fast;
    }

    public long budget() {
        return budget;
    }

    public Path spill() {
        return spill;
    }

    /** Frees the context: the tmpfs goes at once; a context spilled to disk is deleted file by file. */
    @Override
    public void close() throws IOException {
        if (mounted) {
            try {
                Syscalls.umount(fast, Syscalls.MNT_DETACH);
            } catch (IOException e) {
                if (MountTable.isMountPoint(fast)) {
                    throw e;
                } // else unmounted already (a restart's clean-up got there first)
            }
        }
        FileTrees.delete(fast);
        FileTrees.delete(spill);
    }

    /** Unmounts every context tmpfs a crashed daemon left below {@code root}. */
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

    private static long memAvailable() {
        long available = MemInfo.bytes("MemAvailable");
        return available > 0 ? available : 64L << 20; // unknown: as if memory were short
    }
}

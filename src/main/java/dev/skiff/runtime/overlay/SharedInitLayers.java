package dev.skiff.runtime.overlay;

import dev.skiff.image.Digest;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.FileTrees;
import dev.skiff.sys.Trash;
import dev.skiff.sys.TreeSync;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Init layers shared by the containers of one image: {@code <dir>/<sha256 of the image's layer list>}. An init
 * layer is made from the image's layers alone ({@link InitLayer}), so every container of an image would get the
 * same one; dockerd makes it again for each container, a dozen directories and files that are created at create
 * and deleted at removal. Made once instead, a container's create writes ~12 fewer inodes (on an ext4 without a
 * journal, where each allocation skips the recently deleted inodes one by one, ~0.3 ms each here).
 *
 * <p>A layer is built under a temporary name, flushed, and renamed into place, so a crash never leaves a partial
 * one under its real name; two creates racing for one image both build and the second rename loses harmlessly.
 * The overlay lists it as a lower directory, read-only: nothing writes into it after the rename. The snapshots
 * listing each are counted (from their lowers files when the daemon starts, then as they are made and removed).
 * One that no snapshot lists is kept for the image's next container (a run of `docker run --rm` would otherwise
 * make and delete it every time), up to {@link #IDLE_MAX} of them; past that the longest unused goes.
 */
final class SharedInitLayers {
    private static final Logger LOG = LoggerFactory.getLogger(SharedInitLayers.class);
    private static final String TEMPORARY = ".tmp-";
    /** Init layers no snapshot lists that are kept for reuse (~15 inodes each); the longest unused beyond go. */
    static final int IDLE_MAX = 32;

    private final Path dir;
    private final Trash trash;
    private final AtomicLong sequence = new AtomicLong(System.nanoTime());
    /** How many snapshots list each init layer; guarded by this. */
    private final Map<Path, Integer> users = new HashMap<>();
    /** Init layers no snapshot lists, the longest unused first; guarded by this. */
    private final java.util.LinkedHashSet<Path> idle = new java.util.LinkedHashSet<>();

    /** {@code trash} must be on the same filesystem as {@code dir}. */
    SharedInitLayers(Path dir, Trash trash) {
        this.dir = dir;
        this.trash = trash;
    }

    /**
     * The init layer for an image whose layer directories are {@code lowersBottomFirst}, made if needed and counted
     * as listed once more: the caller's snapshot lists it, or {@link #release}s it.
     */
    synchronized Path acquire(List<Path> lowersBottomFirst) throws IOException {
        Path layer = forImage(lowersBottomFirst);
        idle.remove(layer);
        users.merge(layer, 1, Integer::sum);
        return layer;
    }

    /**
     * A snapshot that listed {@code lower} (any of its lower directories; only an init layer of ours counts) is gone
     * or lists another: after the last one's release the layer is idle.
     */
    synchronized void release(Path lower) throws IOException {
        if (!dir.equals(lower.getParent()) || !users.containsKey(lower)) {
            return;
        }
        if (users.merge(lower, -1, Integer::sum) <= 0) {
            users.remove(lower);
            idle(lower);
        }
    }

    /** Keeps {@code layer} for reuse, deleting the longest unused one when more than {@link #IDLE_MAX} are kept. */
    private void idle(Path layer) throws IOException {
        idle.add(layer);
        while (idle.size() > IDLE_MAX) {
            Path oldest = idle.iterator().next();
            idle.remove(oldest);
            trash.discard(oldest);
        }
    }

    private Path forImage(List<Path> lowersBottomFirst) throws IOException {
        Path layer = dir.resolve(key(lowersBottomFirst));
        if (Files.isDirectory(layer)) {
            return layer;
        }
        Files.createDirectories(dir);
        Path tmp = dir.resolve(TEMPORARY + layer.getFileName() + "-" + Long.toHexString(sequence.incrementAndGet()));
        try {
            InitLayer.create(tmp, lowersBottomFirst);
            TreeSync.sync(tmp); // in place before any snapshot's lowers file can name it
            try {
                Files.move(tmp, layer, StandardCopyOption.ATOMIC_MOVE);
                AtomicFiles.fsyncDirectory(dir);
            } catch (IOException e) {
                if (!Files.isDirectory(layer)) {
                    throw e;
                }
                // another create for the same image put its own in place first: that one serves
            }
        } finally {
            if (Files.exists(tmp, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                FileTrees.delete(tmp);
            }
        }
        return layer;
    }

    /**
     * Counts the snapshots under {@code snapshots} that list each init layer, keeps up to {@link #IDLE_MAX} of those
     * none lists and deletes the rest, and what a crash left half-made; run when the snapshotter opens, before any
     * create.
     */
    synchronized void open(Path snapshots) {
        users.clear();
        idle.clear();
        if (!Files.isDirectory(dir)) {
            return;
        }
        try {
            Map<Path, Integer> listed = listedLowers(snapshots);
            try (var layers = Files.list(dir)) {
                for (Path layer : layers.toList()) {
                    Integer n = listed.get(layer);
                    if (layer.getFileName().toString().startsWith(TEMPORARY)) {
                        trash.discard(layer);
                    } else if (n == null) {
                        idle(layer);
                    } else {
                        users.put(layer, n);
                    }
                }
            }
        } catch (IOException e) {
            users.clear(); // uncounted layers are never deleted: they stay until a start can count them
            idle.clear();
            LOG.warn("cannot count the users of the init layers in {} (unused ones stay until the next start): {}",
                    dir, e.toString());
        }
    }

    /** How many snapshots list each lower directory. */
    private static Map<Path, Integer> listedLowers(Path snapshots) throws IOException {
        Map<Path, Integer> listed = new HashMap<>();
        if (!Files.isDirectory(snapshots)) {
            return listed;
        }
        try (var dirs = Files.list(snapshots)) {
            for (Path snapshot : dirs.toList()) {
                Path lowers = snapshot.resolve("lowers");
                if (Files.isRegularFile(lowers)) {
                    for (String line : Files.readAllLines(lowers, StandardCharsets.UTF_8)) {
                        if (!line.isBlank()) {
                            listed.merge(Path.of(line.strip()), 1, Integer::sum);
                        }
                    }
                }
            }
        }
        return listed;
    }

    /** The name of an image's init layer: the sha256 of its layer list, bottom first, one absolute path a line. */
    static String key(List<Path> lowersBottomFirst) {
        StringBuilder list = new StringBuilder();
        for (Path p : lowersBottomFirst) {
            list.append(p.toAbsolutePath().normalize()).append('\n');
        }
        return Digest.sha256(list.toString()).hex();
    }
}

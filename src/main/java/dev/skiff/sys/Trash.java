package dev.skiff.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes directory trees off the caller's path: {@link #discard} renames a tree into this trash directory
 * (one rename(2): the tree is gone from its old place at once, whatever its size) and a background thread
 * deletes it. Removing a container waits for neither its logs nor its writable layer to be unlinked file by
 * file. A crash between the rename and the delete leaves the tree in the trash, which is emptied again when
 * the next daemon opens it.
 *
 * <p>The trash must be on the same filesystem as the trees it takes (a sibling of their parent); when the
 * rename is not possible the tree is deleted in place, synchronously, as before.
 */
public final class Trash {
    private static final Logger LOG = LoggerFactory.getLogger(Trash.class);

    private final Path dir;
    /** Names in the trash stay unique across daemon runs, so a rename never meets a leftover of the same name. */
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1000);
    /**
     * One deleter, so a burst of removals does not become a burst of concurrent unlink storms. A platform thread
     * at the lowest CPU priority: unlink(2) and rmdir(2) are native calls that can each wait milliseconds for the
     * disk (a filesystem mounted with "discard" trims every freed block before the call returns), and on a
     * virtual thread every such wait would hold one of the few carriers all request handling shares; and the
     * trash is work nobody waits for, which should give way to whatever a client does wait for.
     */
    private final ExecutorService deleter = Executors.newSingleThreadExecutor(runnable -> Thread.ofPlatform()
            .daemon().name("trash").unstarted(() -> {
                lowerPriority();
                runnable.run();
            }));

    /** Opens (creating it when needed) the trash directory {@code dir} and empties what an earlier run left. */
    public Trash(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.dir);
            try (var leftovers = Files.list(this.dir)) {
                for (Path p : leftovers.toList()) {
                    deleter.execute(() -> deleteQuietly(p));
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot open the trash directory {} (trees will be deleted in place): {}", this.dir, e.toString());
        }
    }

    /**
     * Takes {@code tree} away from where it is and deletes it in the background; deletes it in place when it
     * cannot be moved. Nothing happens when it does not exist.
     *
     * @throws IOException when the in-place delete fails
     */
    public void discard(Path tree) throws IOException {
        if (!Files.exists(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path aside = dir.resolve(tree.getFileName() + "-" + sequence.incrementAndGet());
        try {
            Files.move(tree, aside, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return; // gone meanwhile
        } catch (IOException e) {
            FileTrees.delete(tree); // another filesystem, or no trash directory: the slow way
            return;
        }
        deleter.execute(() -> deleteQuietly(aside));
    }

    /** Waits until everything discarded so far is deleted (tests, and an orderly shutdown). */
    public void awaitEmpty() throws InterruptedException {
        try {
            deleter.submit(() -> { }).get(1, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("trash {} did not empty in time: {}", dir, e.toString());
        }
    }

    private static void lowerPriority() {
        try {
            Syscalls.niceCurrentThread(19);
        } catch (IOException | RuntimeException e) {
            LOG.debug("the trash thread keeps its priority: {}", e.toString());
        }
    }

    private static void deleteQuietly(Path tree) {
        try {
            FileTrees.delete(tree);
        } catch (IOException e) {
            LOG.warn("cannot delete {} from the trash (it is deleted again at the next start): {}", tree, e.toString());
        }
    }
}

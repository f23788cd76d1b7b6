package dev.skiff.build.exec;

import dev.skiff.build.cache.CacheKey;
import dev.skiff.errors.InternalException;
import dev.skiff.image.CommitRequest;
import dev.skiff.image.ImageService;
import dev.skiff.image.PreparedCommit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A filesystem step whose work is done and whose commit is under way (see {@link StageBuilder}): its upper
 * directory is hashed and flushed on a thread of its own ({@link ImageService#prepareCommit}) while the next step
 * runs over it. The stage's output is held from the start until the step's " ---> ID" line is written, right
 * when the ID is known. The holder stores it ({@link ImageService#publish}) and then {@link #close}s it.
 */
final class PendingStep implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PendingStep.class);

    private final Snapshots snapshots;
    private final Snapshots.Mounted snap;
    private final String parentId;
    private final Function<String, CacheKey> key;
    private final String description;
    private final CompletableFuture<PreparedCommit> prepared = new CompletableFuture<>();

    private PendingStep(Snapshots snapshots, Snapshots.Mounted snap, String parentId, Function<String, CacheKey> key,
                        String description) {
        this.snapshots = snapshots;
        this.snap = snap;
        this.parentId = parentId;
        this.key = key;
        this.description = description;
    }

    /**
     * Starts preparing {@code request} (whose diff directory is {@code snap}'s upper, unmounted) and holds
     * {@code out} until its ID is written (or, without {@code showId}, until it is known).
     */
    static PendingStep start(ImageService images, Snapshots snapshots, OrderedOutput out, Snapshots.Mounted snap,
                             Function<String, CacheKey> key, String description, CommitRequest request,
                             boolean showId) {
        PendingStep step = new PendingStep(snapshots, snap, request.parentId(), key, description);
        out.hold();
        // a platform thread: hashing reads files, which would hold one of the few carriers of virtual threads
        Thread.ofPlatform().daemon().name("build-step-commit").start(() -> {
            long t0 = System.nanoTime();
            try {
                PreparedCommit done = images.prepareCommit(request);
                out.release(showId ? " ---> " + StageBuilder.shortId(done.id()) + "\n" : null);
                step.prepared.complete(done);
                LOG.debug("prepared {} in {} ms", description, (System.nanoTime() - t0) / 1_000_000);
            } catch (Throwable t) {
                out.release(null);
                step.prepared.completeExceptionally(t);
            }
        });
        return step;
    }

    /** The step's cache key, given its parent's image ID. */
    Function<String, CacheKey> key() {
        return key;
    }

    String description() {
        return description;
    }

    /**
     * The lower layers of a step over this one: its parent's (stored: the step before this one was stored before
     * this one ran), then this step's upper directory on top.
     */
    List<Path> lowersAbove() {
        List<Path> all = new ArrayList<>(snapshots.layerDirs(parentId));
        all.add(snap.upper());
        return all;
    }

    /** The prepared commit; waits through interrupts, since the snapshot may be deleted only after the hash. */
    PreparedCommit await() {
        try {
            return prepared.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new InternalException("cannot commit " + description + ": " + e.getCause(), e.getCause());
        }
    }

    /** Deletes what is left of the step's snapshot (its upper directory, unless the publish moved it). */
    @Override
    public void close() {
        snap.close();
    }
}

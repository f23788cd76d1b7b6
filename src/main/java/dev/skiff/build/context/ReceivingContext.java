package dev.skiff.build.context;

import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A build context being unpacked on its own thread while the build starts: the Dockerfile is handed over as soon
 * as its entry has arrived, so that the steps before the first one reading the context (FROM, RUN, ENV...) run
 * while the rest of the context is still on its way, as BuildKit's lazily sent context allows. The docker CLI
 * sends the context in name order, and "Dockerfile" sorts before every lower-case name.
 *
 * <p>A tar may hold a name twice (the last one wins when unpacked); {@link #earlyFileReplaced()} tells whether the
 * file handed over early was overwritten later, for the builder to check against what it used.
 */
public final class ReceivingContext {
    private static final Logger LOG = LoggerFactory.getLogger(ReceivingContext.class);

    private final String earlyName;
    private final long earlyMax;
    private final CompletableFuture<Optional<byte[]>> early = new CompletableFuture<>();
    private final CompletableFuture<ContextArchive.Unpacked> done = new CompletableFuture<>();
    private volatile boolean earlyReplaced;

    private ReceivingContext(String earlyName, long earlyMax) {
        this.earlyName = earlyName;
        this.earlyMax = earlyMax;
    }

    /**
     * Starts unpacking {@code tar} (see {@link ContextArchive#extract}) on a new platform thread. The unpacking
     * waits for the client hundreds of times a context (once per socket read) and does file system calls in
     * between; on a virtual thread each wait parks and resumes a carrier of the shared pool (a wake-up through
     * the pool and its idle spinning), which cost a fully cached rebuild of 50 MiB ~10-20 ms more daemon CPU.
     *
     * @param earlyName the clean relative name of the file to hand over as soon as it arrives (the Dockerfile), or
     *                  null for none
     * @param earlyMax  the largest such file handed over; a larger one is left to the caller's checks
     */
    public static ReceivingContext start(InputStream tar, ContextPlacement placement, String tree, long maxBytes,
                                         FileHashCache hashes, ContextArchive.Unpacked previous, String earlyName,
                                         long earlyMax) {
        ReceivingContext r = new ReceivingContext(earlyName, earlyMax);
        Thread.ofPlatform().daemon().name("build-context-receive").start(() -> r.receive(tar, placement, tree, maxBytes,
                hashes, previous));
        return r;
    }

    private void receive(InputStream tar, ContextPlacement placement, String tree, long maxBytes,
                         FileHashCache hashes, ContextArchive.Unpacked previous) {
        long t0 = System.nanoTime();
        try {
            ContextArchive.Unpacked unpacked = ContextArchive.extract(tar, placement, tree, maxBytes, hashes,
                    previous, this::unpacked);
            LOG.debug("received the build context ({} bytes) in {} ms", unpacked.bytes(),
                    (System.nanoTime() - t0) / 1_000_000);
            early.complete(Optional.empty());
            done.complete(unpacked);
        } catch (Throwable t) {
            early.complete(Optional.empty());
            done.completeExceptionally(t);
        }
    }

    private void unpacked(String rel, Path path, boolean regular) throws IOException {
        if (earlyName == null || !earlyName.equals(rel)) {
            return;
        }
        if (early.isDone()) {
            earlyReplaced = true;
            return;
        }
        if (regular && Files.size(path) <= earlyMax) {
            early.complete(Optional.of(Files.readAllBytes(path)));
        } else {
            early.complete(Optional.empty()); // the caller reads it from the whole context, with its own checks
        }
    }

    /**
     * The early file's content once its entry has arrived; empty when the archive ended (or failed) without it as
     * a regular file within the size limit: then the caller waits for the whole context.
     */
    public Optional<byte[]> earlyFile() throws InterruptedException {
        try {
            return early.get();
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** Whether an entry of the early file's name came again after it was handed over. */
    public boolean earlyFileReplaced() {
        return earlyReplaced;
    }

    /** Waits for the whole context; its unpacking's failure is thrown here. */
    public ContextArchive.Unpacked await() throws IOException, InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new InvalidArgumentException("cannot read the build context: " + cause);
        }
    }

    /** Waits for the unpacking to end, however it ends (nothing may still write into the context afterwards). */
    public Optional<ContextArchive.Unpacked> awaitQuietly() {
        boolean interrupted = false;
        while (true) {
            try {
                ContextArchive.Unpacked u = done.get();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return Optional.of(u);
            } catch (InterruptedException e) {
                interrupted = true; // the unpacking thread ends with the request body; keep waiting for it
            } catch (ExecutionException e) {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
                return Optional.empty();
            }
        }
    }
}

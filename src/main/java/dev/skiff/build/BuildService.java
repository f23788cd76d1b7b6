package dev.skiff.build;

import dev.skiff.build.exec.Cancellation;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/**
 * Builds images from a Dockerfile and a context, and keeps the build cache: what POST /build, POST
 * /build/prune and the build-cache part of GET /system/df call.
 */
public interface BuildService {
    /**
     * Runs one build to the end and returns the final image's ID ("sha256:...").
     *
     * @param context the build context as a tar (plain or gzip-, bzip2-, xz- or zstd-compressed), untrusted
     * @throws StepFailedException when a RUN step exits non-zero (no image is tagged)
     * @throws Cancellation.BuildCancelledException when {@code cancel} fired; everything the build made is gone
     */
    String build(BuildRequest request, InputStream context, BuildOutput output, Cancellation cancel);

    /**
     * Counts the build of {@code cancel} as under way until the returned action runs, beyond {@link #build}'s
     * own return: a caller that still has to answer its client after the build ended (the API's error message when
     * the daemon's shutdown cancelled it) holds it until that answer is written, so the shutdown waits for it.
     */
    default Runnable track(Cancellation cancel) {
        return () -> { };
    }

    /**
     * The context POST /build's {@code remote} parameter names, fetched by the daemon: a Git repository (cloned,
     * {@code #ref:subdir} honoured), an http(s) tar archive, or an http(s) file that is the Dockerfile
     * ({@code dockerfile} names it in the context). A tar stream for {@link #build}; closing it deletes what was
     * fetched. A URL's download shows its bytes on {@code output} as dockerd's does (id "Downloading context"); an
     * interrupt stops the fetch.
     */
    InputStream remoteContext(String remote, String dockerfile, BuildOutput output) throws java.io.IOException;

    /**
     * Deletes cache records (and the step images only they kept) and cache mounts.
     *
     * @param all    also records whose images a tagged image still uses (BuildKit's --all)
     * @param until  only records last used before this instant; null for no bound
     */
    PruneReport prune(boolean all, Instant until);

    /**
     * As {@link #prune(boolean, Instant)}, but bounded as BuildKit's prune is: least recently used first, and only
     * while the cache uses more than {@link SpaceLimits#maxUsed} or the disk has less free than
     * {@link SpaceLimits#minFree} (or, with neither, more than {@link SpaceLimits#reserved}), never below
     * {@code reserved}. Without any limit it is the plain prune.
     */
    default PruneReport prune(boolean all, Instant until, SpaceLimits limits) {
        if (limits == null || limits.none()) {
            return prune(all, until);
        }
        throw new dev.skiff.errors.InvalidArgumentException("this builder cannot prune to a size");
    }

    /**
     * docker builder prune's --reserved-space (--keep-storage), --max-used-space and --min-free-space, in bytes;
     * 0 for not given.
     */
    record SpaceLimits(long reserved, long maxUsed, long minFree) {
        public static final SpaceLimits NONE = new SpaceLimits(0, 0, 0);

        public boolean none() {
            return reserved <= 0 && maxUsed <= 0 && minFree <= 0;
        }

        /** Whether a cache using {@code used} bytes, on a disk with {@code free} bytes free, should shrink further. */
        public boolean over(long used, long free) {
            if (reserved > 0 && used <= reserved) {
                return false;
            }
            if (maxUsed <= 0 && minFree <= 0) {
                return reserved > 0 && used > reserved;
            }
            return (maxUsed > 0 && used > maxUsed) || (minFree > 0 && free < minFree);
        }
    }

    /** Every cache record and cache mount, for `docker system df`. */
    List<CacheUsage> usage();

    /** What prune removed. */
    record PruneReport(List<String> deleted, long reclaimed) {
    }

    /**
     * One row of the BuildCache section of `docker system df -v`.
     *
     * @param type "regular" for step results, "exec.cachemount" for RUN --mount=type=cache directories
     */
    record CacheUsage(String id, String parent, String type, String description, boolean inUse, boolean shared,
                      long size, Instant created, Instant lastUsed, long usageCount) {
    }
}

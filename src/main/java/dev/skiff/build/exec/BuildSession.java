package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import dev.skiff.build.BuildRequest;
import dev.skiff.build.cache.BuildCache;
import dev.skiff.build.context.DockerIgnore;
import dev.skiff.build.copy.CopyEngine;
import dev.skiff.build.dockerfile.BuildPlan;
import dev.skiff.build.dockerfile.Dockerfile;
import dev.skiff.build.dockerfile.PlannedStage;
import dev.skiff.build.dockerfile.Stage;
import dev.skiff.build.dockerfile.Variables;
import dev.skiff.errors.NotFoundException;
import dev.skiff.image.ImageService;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Everything one build shares between its stages: the request, the services, the context, the plan, the
 * cancel signal, and each stage's result as it becomes known (later stages wait on earlier ones through it).
 *
 * @param services  the builder's long-lived parts
 * @param context   the context's files and .dockerignore rules, which may still be arriving when the build starts
 * @param globals   the global ARG scope (FROM lines, and the values stages inherit)
 * @param platform  "linux/amd64": part of every cache key
 * @param pulled    image references this build pulls or pulled, with their IDs to come (each is pulled once per
 *                  build, however many stages ask for it at once)
 * @param holds     the images this build stands on, which removals and prunes leave alone until it ends
 */
public record BuildSession(BuildServices services, BuildRequest request, ContextFiles context,
                           Dockerfile dockerfile,
                           BuildPlan plan, Variables globals, Cancellation cancel, String platform,
                           Map<Integer, CompletableFuture<StageResult>> results,
                           Map<String, CompletableFuture<String>> pulled, BuildHolds.Holder holds) {

    public BuildSession {
        results = results == null ? new ConcurrentHashMap<>() : results;
        pulled = pulled == null ? new ConcurrentHashMap<>() : pulled;
        holds = holds == null ? new BuildHolds().open() : holds;
    }

    /** Holds the image {@code imageId} for the rest of the build; false when it is gone. */
    public boolean hold(String imageId) {
        return holds.hold(images(), imageId).isPresent();
    }

    /** Holds an image about to be stored under {@code imageId}, before anything can see it. */
    public void holdNew(String imageId) {
        holds.holdNew(imageId);
    }

    /**
     * The unpacked context's root, waiting until all of it has arrived: only steps that read it (COPY and ADD from
     * the context, RUN --mount=type=bind) wait, so the steps before them overlap the upload.
     */
    public Path contextDir() {
        return context.dir();
    }

    /** The context's .dockerignore rules (waiting for the context as {@link #contextDir()} does). */
    public DockerIgnore ignore() {
        return context.ignore();
    }

    /**
     * What a COPY from the context sees, as one string (the tree's signature and where the ignore rules come from),
     * waiting for the context as {@link #contextDir()} does; null when the tree was not signed.
     */
    public String contextIdentity() {
        return context.identity();
    }

    /** The build context's files, which may still be arriving: each method waits until all of it is unpacked. */
    public interface ContextFiles {
        Path dir();

        DockerIgnore ignore();

        /** See {@link BuildSession#contextIdentity()}. */
        String identity();
    }

    public ImageService images() {
        return services.images();
    }

    public BuildCache cache() {
        return services.cache();
    }

    public Snapshots snapshots() {
        return services.snapshots();
    }

    public CacheMounts cacheMounts() {
        return services.cacheMounts();
    }

    /** The request's --cache-from images that are in the store (one that is not is skipped, as dockerd does). */
    public java.util.List<dev.skiff.image.Image> cacheSources() {
        return request.cacheFrom().stream().map(ref -> images().find(ref)).flatMap(Optional::stream).toList();
    }

    public StepRunner runner() {
        return services.runner();
    }

    public CopyEngine copier() {
        return services.copier();
    }

    /** Whether steps of {@code stage} may use the cache (--no-cache, --no-cache-filter). */
    public boolean useCache(Stage stage) {
        if (request.noCache()) {
            return false;
        }
        for (String s : request.noCacheStages()) {
            String n = s.toLowerCase(Locale.ROOT);
            if (n.equals(stage.name()) || n.equals(Integer.toString(stage.index()))) {
                return false;
            }
        }
        return true;
    }

    /** The planned stage a --from / from= value names, if it names one (by name or index). */
    public Optional<PlannedStage> stage(String nameOrIndex) {
        return dockerfile.stage(nameOrIndex).flatMap(s -> plan.stage(s.index()));
    }

    /**
     * The image ID behind a --from / from= value: a stage's result (waiting for it to finish), or an image,
     * pulled when it is not local (and with --pull even when it is), as Docker's builder does.
     */
    public String stageOrImageId(String ref, BuildOutput out) {
        Optional<PlannedStage> stage = stage(ref);
        if (stage.isPresent()) {
            return awaitStage(stage.get().index()).imageId();
        }
        return imageId(ref, out);
    }

    /** The local image ID of an image reference: pulled when it is missing, or always when the build has --pull. */
    public String imageId(String ref, BuildOutput out) {
        if (!request.pull() || ref.startsWith("sha256:")) {
            Optional<String> local = holds.hold(images(), ref);
            if (local.isPresent()) {
                return local.get();
            }
        }
        CompletableFuture<String> mine = new CompletableFuture<>();
        CompletableFuture<String> first = pulled.putIfAbsent(ref, mine);
        if (first == null) { // this stage pulls; stages asking meanwhile wait for it (not inside the map's lock)
            try {
                mine.complete(services.puller().pull(ref, request.platform(), request.registryConfig(),
                        new PullProgress(out)));
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
            first = mine;
        }
        try {
            String id = first.get();
            if (!hold(id)) { // removed between its pull and here
                throw new NotFoundException("image " + ref + " (" + id + ") was removed while the build started on it:"
                        + " build again");
            }
            return id;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.BuildCancelledException();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Waits for a stage of this build; a failure there is a failure here. */
    public StageResult awaitStage(int index) {
        CompletableFuture<StageResult> f = results.get(index);
        if (f == null) {
            throw new IllegalStateException("stage " + index + " is not part of the plan");
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Cancellation.BuildCancelledException();
        } catch (ExecutionException e) {
            // the stage's own failure is reported by that stage; here it only stops this one
            throw new Cancellation.BuildCancelledException();
        }
    }
}

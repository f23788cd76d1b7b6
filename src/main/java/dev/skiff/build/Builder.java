package dev.skiff.build;

import dev.skiff.build.cache.BuildCache;
import dev.skiff.build.context.ContextArchive;
import dev.skiff.build.context.ContextPlacement;
import dev.skiff.build.context.DockerIgnore;
import dev.skiff.build.context.FileHashCache;
import dev.skiff.build.context.ReceivingContext;
import dev.skiff.build.copy.CopyEngine;
import dev.skiff.build.dockerfile.BuildPlan;
import dev.skiff.build.dockerfile.Dockerfile;
import dev.skiff.build.dockerfile.DockerfileParser;
import dev.skiff.build.dockerfile.Instruction;
import dev.skiff.build.dockerfile.PlannedStage;
import dev.skiff.build.dockerfile.PlatformArgs;
import dev.skiff.build.dockerfile.SourceLocation;
import dev.skiff.build.dockerfile.StageGraph;
import dev.skiff.build.dockerfile.Variables;
import dev.skiff.build.exec.BuildHolds;
import dev.skiff.build.exec.BuildServices;
import dev.skiff.build.exec.BuildSession;
import dev.skiff.build.exec.CacheMounts;
import dev.skiff.build.exec.Cancellation;
import dev.skiff.build.exec.Snapshots;
import dev.skiff.build.exec.StageBuilder;
import dev.skiff.build.exec.StageOutput;
import dev.skiff.build.exec.StageResult;
import dev.skiff.build.exec.StepRunner;
import dev.skiff.build.exec.Trees;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.image.CommitRequest;
import dev.skiff.image.ImageService;
import dev.skiff.image.Reference;
import dev.skiff.runtime.oci.HostInfo;
import dev.skiff.runtime.oci.OciSpecGenerator;
import dev.skiff.runtime.overlay.OverlaySnapshotter;
import dev.skiff.sys.FileTrees;
import dev.skiff.sys.SafePaths;
import dev.skiff.sys.Sqlite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Dockerfile builder: receives the context, parses and plans, runs the needed stages (independent ones in
 * parallel, each on its own virtual thread), tags the result. Its state on disk: {@code <data-root>/builder/}
 * (snapshots, cache mounts, received contexts, on one filesystem so that COPY can link a context's files into a
 * layer) and {@code <exec-root>/builder/} (step bundles, runc state, step files); {@link #cleanLeftovers()} clears
 * what a crash left there.
 */
public final class Builder implements BuildService {
    private static final Logger LOG = LoggerFactory.getLogger(Builder.class);
    /** The largest context accepted (uncompressed file content). */
    private static final long MAX_CONTEXT = 16L << 30;

    private final BuildServices services;
    private final Path contexts;
    /** Where contexts left over from an earlier version were mounted as tmpfs (see cleanLeftovers). */
    private final Path contextsInMemory;
    /** Deletes contexts off the builds' path, at the lowest CPU priority: hundreds of unlinks a build otherwise. */
    private final dev.skiff.sys.Trash trash;
    private final Path snapshotRoot;
    private final OverlaySnapshotter snapshotter;
    private final CachePruner pruner;
    private final BuildHolds holds = new BuildHolds();
    /** The last successful build's unpacked context, kept for the next build to link from (see releaseLater). */
    private final java.util.concurrent.atomic.AtomicReference<WarmContext> warm =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicLong trees = new java.util.concurrent.atomic.AtomicLong();
    private static final java.time.Duration WARM_FOR = java.time.Duration.ofSeconds(60);

    /**
     * The kept context, and the thread that frees it when no build takes it in time. A build that takes it stops
     * that thread: asleep, it held the context's file list (~100 bytes a file) for the rest of {@link #WARM_FOR},
     * one list per build, so a run of builds grew the old generation by as many lists.
     */
    private record WarmContext(ContextPlacement placement, ContextArchive.Unpacked tree,
                               java.util.concurrent.atomic.AtomicReference<Thread> expiry) {
        WarmContext(ContextPlacement placement, ContextArchive.Unpacked tree) {
            this(placement, tree, new java.util.concurrent.atomic.AtomicReference<>());
        }

        /** Taken by a build (or the daemon's stop): its expiry has nothing left to do. */
        WarmContext taken() {
            Thread t = expiry.getAndSet(null);
            if (t != null) {
                t.interrupt();
            }
            return this;
        }
    }

    private Builder(BuildServices services, Path contexts, Path contextsInMemory, Path snapshotRoot,
                    OverlaySnapshotter snapshotter, dev.skiff.image.ImageUsers imageUsers) {
        this.services = services;
        this.contexts = contexts;
        this.contextsInMemory = contextsInMemory;
        this.trash = new dev.skiff.sys.Trash(contexts.resolveSibling("trash").resolve("contexts"));
        this.snapshotRoot = snapshotRoot;
        this.snapshotter = snapshotter;
        // builder prune leaves alone what a build in progress stands on, as it does what containers use
        this.pruner = new CachePruner(services.images(), services.cache(), services.cacheMounts(),
                dev.skiff.image.ImageUsers.both(imageUsers, holds.users()));
    }

    /** The images builds in progress stand on, for image removal and the prunes (see {@link BuildHolds}). */
    public dev.skiff.image.ImageUsers imageUsers() {
        return holds.users();
    }

    /**
     * @param dataRoot the daemon's data root (the builder uses dataRoot/builder)
     * @param execRoot the daemon's exec root (the builder uses execRoot/builder)
     * @param runc     the runc binary
     * @param imageUsers the containers of each image (prune never removes an image a container uses)
     * @param puller   fetches FROM and COPY --from images that are not local ({@link ImagePuller#NONE}: none)
     */
    public static Builder open(ImageService images, Sqlite db, Path dataRoot, Path execRoot, Path runc,
                               dev.skiff.image.ImageUsers imageUsers, ImagePuller puller) {
        return open(images, db, dataRoot, execRoot, runc, imageUsers, puller, StepNetwork.NONE);
    }

    /** As above; RUN steps on the default network join the daemon's bridge through {@code network}. */
    public static Builder open(ImageService images, Sqlite db, Path dataRoot, Path execRoot, Path runc,
                               dev.skiff.image.ImageUsers imageUsers, ImagePuller puller,
                               StepNetwork network) {
        Path data = dataRoot.toAbsolutePath().resolve("builder");
        Path exec = execRoot.toAbsolutePath().resolve("builder");
        OverlaySnapshotter snapshotter = new OverlaySnapshotter(data);
        StepRunner runner = new StepRunner(runc, exec, new OciSpecGenerator(HostInfo.detect(), "skiff-build"));
        Path downloads = data.resolve("downloads");
        try {
            // ADD's downloads and Git clones live for one step: whatever is here, a crash left
            dev.skiff.sys.FileTrees.delete(downloads);
        } catch (java.io.IOException e) {
            LOG.warn("cannot empty {}: {}", downloads, e.toString());
        }
        CopyEngine copier = new CopyEngine(downloads);
        BuildServices services = new BuildServices(images, new BuildCache(db), new Snapshots(snapshotter, images),
                new CacheMounts(data.resolve("cache")), runner, copier, exec.resolve("steps"), puller, network);
        return new Builder(services, data.resolve("contexts"), exec.resolve("contexts"), data.resolve("containers-snap"),
                snapshotter, imageUsers);
    }

    @Override
    public InputStream remoteContext(String remote, String dockerfile, BuildOutput output) throws java.io.IOException {
        return services.copier().remoteContext(remote, dockerfile, output::progress);
    }

    @Override
    public String build(BuildRequest request, InputStream context, BuildOutput output, Cancellation cancel) {
        boolean mine = running.add(cancel); // unless the caller tracks it past this call
        try {
            return buildFromContext(request, context, output, cancel);
        } finally {
            if (mine) {
                running.remove(cancel);
            }
        }
    }

    @Override
    public Runnable track(Cancellation cancel) {
        running.add(cancel);
        return () -> running.remove(cancel);
    }

    /** The cancels of the builds under way, for {@link #cancelRunning}. */
    private final java.util.Set<Cancellation> running = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Daemon shutdown: cancels the builds under way (their clients lose them with the connection anyway) and waits
     * up to {@code grace} for them to unwind, so that no RUN step's process, mounts and namespace outlive the daemon
     * until its next start cleans them.
     */
    public void cancelRunning(java.time.Duration grace) throws InterruptedException {
        List<Cancellation> now = List.copyOf(running);
        if (now.isEmpty()) {
            return;
        }
        LOG.info("cancelling {} build(s) under way", now.size());
        now.forEach(Cancellation::cancel);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!running.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (!running.isEmpty()) {
            LOG.warn("{} build(s) still unwinding after {} s; the next start removes what they leave", running.size(),
                    grace.toSeconds());
        }
    }

    private String buildFromContext(BuildRequest request, InputStream context, BuildOutput output, Cancellation cancel) {
        ContextPlacement placement = null;
        ContextArchive.Unpacked previous = null;
        ReceivingContext receiving = null;
        boolean built = false;
        try {
            WarmContext reuse = warm.getAndSet(null);
            if (reuse != null) {
                reuse.taken();
                placement = reuse.placement();
                previous = reuse.tree();
            } else {
                FileTrees.spreadSubdirectories(contexts); // a directory per context
                placement = ContextPlacement.at(Files.createTempDirectory(contexts, "ctx-"));
            }
            // the content hashes taken while unpacking spare COPY a second read of every file
            String dockerfileName = earlyName(request.dockerfile());
            // over the kept context, in place: its unchanged files stay as they are (no link, no unlink apiece)
            String tree = previous != null ? null : "tree-" + trees.incrementAndGet();
            receiving = ReceivingContext.start(context, placement, tree, MAX_CONTEXT,
                    services.copier().hashes(), previous, dockerfileName, DockerfileParser.MAX_SIZE);
            Received received = new Received(receiving, request.dockerfile());
            byte[] dockerfile = dockerfileName == null ? null : receiving.earlyFile().orElse(null);
            if (dockerfile == null) {
                dockerfile = received.dockerfileFromTree(); // not at hand early: read it from the whole context
            }
            cancel.check();
            String id = build(request, dockerfile, received, output, cancel);
            built = true;
            return id;
        } catch (IOException e) {
            throw unreadable(e);
        } catch (InterruptedException e) {
            throw cancelled();
        } finally {
            // nothing may still be writing into the context when it is released
            ContextArchive.Unpacked unpacked = receiving == null ? null : receiving.awaitQuietly().orElse(null);
            releaseLater(placement, previous, built ? unpacked : null);
        }
    }

    /** The client's context could not be read: what went wrong, and what to send instead. */
    private static InvalidArgumentException unreadable(IOException e) {
        return new InvalidArgumentException("cannot read the build context: " + e.getMessage()
                + " (send the context as a tar stream)");
    }

    /** Interrupted while waiting for the context: the build is being cancelled (the flag is set again). */
    private static Cancellation.BuildCancelledException cancelled() {
        Thread.currentThread().interrupt();
        return new Cancellation.BuildCancelledException();
    }

    /**
     * The Dockerfile's name as the context's tar names it, when it is a plain relative path that can be handed
     * over as soon as it arrives; null otherwise (then it is resolved in the whole context, symlinks and all).
     */
    static String earlyName(String dockerfile) {
        if (dockerfile == null || dockerfile.isBlank() || dockerfile.startsWith("/")) {
            return null;
        }
        try {
            String rel = ContextArchive.relative(dockerfile);
            return rel.isEmpty() || rel.equals(".") ? null : rel;
        } catch (RuntimeException e) {
            return null; // "..": refused with the usual message once the context is in
        }
    }

    /** The context as the build's steps see it: each look waits until the whole of it is unpacked. */
    private static final class Received implements BuildSession.ContextFiles {
        private final ReceivingContext receiving;
        private final String dockerfile;
        private Path root;
        private String signature;
        private DockerIgnore ignore;

        Received(ReceivingContext receiving, String dockerfile) {
            this.receiving = receiving;
            this.dockerfile = dockerfile;
        }

        @Override
        public synchronized Path dir() {
            if (root == null) {
                try {
                    ContextArchive.Unpacked unpacked = receiving.await();
                    signature = unpacked.signature();
                    root = unpacked.root();
                } catch (IOException e) {
                    throw unreadable(e);
                } catch (InterruptedException e) {
                    throw cancelled();
                }
            }
            return root;
        }

        @Override
        public synchronized String identity() {
            dir();
            // the ignore rules are those of this tree beside (or for) the Dockerfile of this name
            return signature == null ? null : signature + " " + dockerfile;
        }

        @Override
        public synchronized DockerIgnore ignore() {
            if (ignore == null) {
                Path dir = dir();
                try {
                    ignore = DockerIgnore.forDockerfile(dir, dir.relativize(dockerfilePath()));
                } catch (IOException e) {
                    throw new InvalidArgumentException("cannot read the .dockerignore of the build context: "
                            + e.getMessage());
                }
            }
            return ignore;
        }

        private Path dockerfilePath() throws IOException {
            return SafePaths.resolve(dir(), dockerfile);
        }

        /**
         * Waits for the whole context and checks it: a build is not done, nor tagged, before its context has
         * arrived and unpacked cleanly, and with the Dockerfile it was planned from ({@code used}) still the
         * context's.
         */
        void verify(byte[] used) throws IOException {
            dir();
            if (receiving.earlyFileReplaced() && !java.util.Arrays.equals(used, dockerfileFromTree())) {
                throw new InvalidArgumentException("the build context holds " + dockerfile
                        + " twice, with different content: send one");
            }
        }

        /** The Dockerfile read from the whole context, with the checks a missing or oversized one needs. */
        byte[] dockerfileFromTree() throws IOException {
            Path path = dockerfilePath();
            if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidArgumentException("Cannot locate specified Dockerfile: " + dockerfile
                        + " (give its path inside the context with -f)");
            }
            if (Files.size(path) > DockerfileParser.MAX_SIZE) {
                throw new InvalidArgumentException(dockerfile + " is larger than "
                        + (DockerfileParser.MAX_SIZE >> 20) + " MiB");
            }
            return Files.readAllBytes(path);
        }
    }

    /**
     * A context's files go once the build has answered: deleting hundreds of files is not the client's wait.
     * The context of a build that succeeded stays for {@link #WARM_FOR} (only the newest one), so the next build
     * unpacks over it, keeping its unchanged files instead of writing and hashing them again; a failed build's
     * goes now. A crash before they go leaves them to {@link #cleanLeftovers()}.
     */
    private void releaseLater(ContextPlacement placement, ContextArchive.Unpacked previous,
                              ContextArchive.Unpacked keep) {
        if (placement == null) {
            return;
        }
        FileHashCache hashes = services.copier().hashes();
        Thread.ofVirtual().name("build-context-release").start(() -> {
            // a build over the kept context updated it in place: then the previous tree is this build's
            if (previous != null && (keep == null || !previous.root().equals(keep.root()))) {
                hashes.forgetBelow(previous.root());
                try {
                    trash.discard(previous.root());
                } catch (IOException e) {
                    LOG.warn("cannot free the build context in {}: {}", previous.root(), e.getMessage());
                }
            }
            if (keep != null && !keep.files().isEmpty()) {
                WarmContext kept = new WarmContext(placement, keep);
                if (warm.compareAndSet(null, kept)) {
                    expireLater(kept);
                    return;
                }
            }
            free(placement);
        });
    }

    /** The kept context goes when no build has taken it for {@link #WARM_FOR}: its files are not kept idle. */
    private void expireLater(WarmContext kept) {
        Thread expiry = Thread.ofVirtual().name("build-context-expiry").unstarted(() -> {
            try {
                Thread.sleep(WARM_FOR);
            } catch (InterruptedException e) {
                return;
            }
            if (warm.compareAndSet(kept, null)) {
                free(kept.placement());
            }
        });
        kept.expiry().set(expiry);
        expiry.start();
    }

    /** Frees the context kept for the next build (the daemon is stopping); a crash leaves it to cleanLeftovers. */
    public void releaseKeptContext() {
        WarmContext kept = warm.getAndSet(null);
        if (kept != null) {
            free(kept.taken().placement());
        }
    }

    /**
     * Deletes a context (in the background), forgetting its files' hashes; a failure is logged (the next start's
     * cleanLeftovers retries).
     */
    private void free(ContextPlacement placement) {
        services.copier().hashes().forgetBelow(placement.dir().toAbsolutePath().normalize());
        try {
            trash.discard(placement.dir());
        } catch (IOException e) {
            LOG.warn("cannot free the build context in {}: {}", placement.dir(), e.getMessage());
        }
    }

    private String build(BuildRequest request, byte[] dockerfileBytes, Received context,
                         BuildOutput output, Cancellation cancel) throws IOException {
        Dockerfile dockerfile = DockerfileParser.parse(displayName(request.dockerfile()), dockerfileBytes);
        Map<String, String> args = new LinkedHashMap<>();
        request.buildArgs().forEach((k, v) -> {
            if (v != null) {
                args.put(k, v);
            }
        });
        PlatformArgs platform = PlatformArgs.host();
        Variables globals = Variables.global(dockerfile, args, platform);
        BuildPlan plan = StageGraph.plan(dockerfile, request.target(), globals);
        try (BuildHolds.Holder holds = this.holds.open()) {
            BuildSession session = new BuildSession(services, request, context, dockerfile, plan, globals,
                    cancel, platform.targetPlatform(), new ConcurrentHashMap<>(), new ConcurrentHashMap<>(), holds);
            String id = runStages(session, output);
            context.verify(dockerfileBytes);
            // dockerd's order: the aux message with the ID when the stages are done, then warnings, "Successfully
            // built" and the tags
            output.imageId(id);
            for (String unused : globals.unusedBuildArgs()) {
                output.stream("[Warning] One or more build-args [" + unused + "] were not consumed\n");
            }
            output.stream("Successfully built " + id.substring(7, 19) + "\n");
            for (String tag : request.tags()) {
                Reference ref = Reference.parseWithDefaultTag(tag);
                services.images().tag(id, ref.toString());
                output.stream("Successfully tagged " + ref.familiar() + "\n");
            }
            return id;
        }
    }

    /** Starts every planned stage on its own virtual thread; each waits for the stages it needs. */
    private String runStages(BuildSession session, BuildOutput output) {
        List<PlannedStage> stages = session.plan().stages();
        List<Instruction> labels = labelInstruction(session);
        Dockerfile dockerfile = session.dockerfile();
        if (!dockerfile.warnings().isEmpty()) {
            // as dockerd's parser prints them: on the build's stderr, which the classic builder colours red
            output.stream("\033[91m" + String.join("\n", dockerfile.warnings()) + "\n\033[0m");
        }
        List<Instruction.Arg> globalArgs = dockerfile.globalArgs();
        int total = globalArgs.size();
        for (PlannedStage s : stages) {
            total += 1 + s.stage().instructions().size();
        }
        total += labels.size();
        // the ARGs before the first FROM are steps of their own in the classic builder's count
        for (int i = 0; i < globalArgs.size(); i++) {
            output.stream("Step " + (i + 1) + "/" + total + " : " + globalArgs.get(i).original() + "\n");
        }
        StageOutput outputs = new StageOutput(output, stages.size());
        List<CompletableFuture<StageResult>> futures = new ArrayList<>();
        for (PlannedStage s : stages) {
            session.results().put(s.index(), new CompletableFuture<>());
        }
        int first = globalArgs.size() + 1;
        for (int i = 0; i < stages.size(); i++) {
            PlannedStage s = stages.get(i);
            boolean isTarget = s.index() == session.plan().target().index();
            StageBuilder b = new StageBuilder(session, s, outputs.channel(i), first, total,
                    isTarget ? labels : List.of());
            first += 1 + s.stage().instructions().size();
            int position = i;
            CompletableFuture<StageResult> f = session.results().get(s.index());
            futures.add(f);
            Thread.ofVirtual().name("build-stage-" + s.stage().displayName()).start(() -> {
                try {
                    f.complete(b.build());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                    session.cancel().cancel(); // one failed stage stops its siblings
                } finally {
                    outputs.finished(position);
                }
            });
        }
        Throwable failure = null;
        for (CompletableFuture<StageResult> f : futures) {
            try {
                f.join();
            } catch (java.util.concurrent.CompletionException e) {
                Throwable cause = e.getCause();
                // the first real failure wins over the cancellations it caused in other stages
                if (failure == null || (failure instanceof Cancellation.BuildCancelledException
                        && !(cause instanceof Cancellation.BuildCancelledException))) {
                    failure = cause;
                }
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        String id = session.results().get(session.plan().target().index()).join().imageId();
        if (id.isEmpty()) {
            // FROM scratch and nothing else: an empty image, as Docker makes
            id = services.images().commit(new CommitRequest(null, null, null, "", null, null, null)).id();
        }
        return id;
    }

    /** --label becomes a LABEL step at the end of the target stage, as the legacy builder does. */
    private static List<Instruction> labelInstruction(BuildSession session) {
        Map<String, String> labels = session.request().labels();
        if (labels.isEmpty()) {
            return List.of();
        }
        StringBuilder line = new StringBuilder("LABEL");
        labels.forEach((k, v) -> line.append(' ').append(quote(k)).append('=').append(quote(v)));
        SourceLocation where = new SourceLocation("--label", 1, 1);
        return List.of(DockerfileParser.parseInstruction(line.toString(), where,
                session.dockerfile().directives().escape()));
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + "\"";
    }

    private static String displayName(String dockerfile) {
        return dockerfile.startsWith(".dockerfile.") ? "Dockerfile" : dockerfile;
    }

    @Override
    public PruneReport prune(boolean all, Instant until) {
        return pruner.prune(all, until);
    }

    @Override
    public PruneReport prune(boolean all, Instant until, SpaceLimits limits) {
        if (limits == null || limits.none()) {
            return pruner.prune(all, until);
        }
        return pruner.pruneTo(until, limits, () -> {
            try {
                return Files.getFileStore(contexts.getParent()).getUsableSpace();
            } catch (java.io.IOException e) {
                return Long.MAX_VALUE; // unknown: no pruning for free space
            }
        });
    }

    @Override
    public List<CacheUsage> usage() {
        return pruner.usage();
    }

    /** Removes what a crashed daemon left: step containers, bundles, snapshots, received contexts. */
    public void cleanLeftovers() {
        services.runner().cleanLeftovers();
        Trees.delete(services.stepsDir());
        if (Files.isDirectory(snapshotRoot)) {
            try (var list = Files.list(snapshotRoot)) {
                for (Path p : list.toList()) {
                    LOG.info("removing the build snapshot {} left by an earlier run", p.getFileName());
                    try {
                        snapshotter.remove(p.getFileName().toString());
                    } catch (RuntimeException e) {
                        LOG.warn("cannot remove build snapshot {}: {}", p, e.toString());
                    }
                }
            } catch (IOException e) {
                throw new UnavailableException("cannot list " + snapshotRoot + ": " + e.getMessage(), e);
            }
        }
        Trees.delete(contexts);
        ContextPlacement.unmountLeftovers(contextsInMemory);
        Trees.delete(contextsInMemory);
        services.cacheMounts().cleanLeftovers();
    }
}

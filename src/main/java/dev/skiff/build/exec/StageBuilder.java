package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import dev.skiff.build.StepFailedException;
import dev.skiff.build.StepNetwork;
import dev.skiff.build.cache.CacheKey;
import dev.skiff.build.cache.CacheRecord;
import dev.skiff.build.copy.CopyEngine;
import dev.skiff.build.copy.CopyRequest;
import dev.skiff.build.copy.CopySource;
import dev.skiff.build.copy.PreparedCopy;
import dev.skiff.build.copy.UpperLinks;
import dev.skiff.build.dockerfile.DockerfileParser;
import dev.skiff.build.dockerfile.Instruction;
import dev.skiff.build.dockerfile.InstructionExpander;
import dev.skiff.build.dockerfile.PlannedStage;
import dev.skiff.build.dockerfile.RunScript;
import dev.skiff.build.dockerfile.Variables;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.image.CommitRequest;
import dev.skiff.image.Image;
import dev.skiff.image.ImageConfig;
import dev.skiff.image.PreparedCommit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Builds one stage: resolves its base, runs its ONBUILD triggers, then each instruction in turn. Every step
 * first computes its cache key; a hit takes the cached image as the new parent without running anything, a
 * miss runs the step (a metadata change, a RUN container, a COPY/ADD, a WORKDIR mkdir) and commits one image.
 *
 * <p>A filesystem step's commit overlaps the next step: its layer (the snapshot's upper directory) is hashed and
 * flushed on a thread of its own while the next filesystem step already runs on top of that directory, and it is
 * stored once that step is unmounted ({@link PendingStep}); a 50 MB COPY's hash took as long as a RUN step here.
 * The next step does not look in the cache meanwhile: its parent is the image being committed, new (its history
 * carries this moment), so no cache entry can name it, as the classic builder documents ("once the cache is
 * invalidated, all subsequent Dockerfile commands generate new images"). The stage's output is held meanwhile
 * ({@link OrderedOutput}), so the " ---> ID" line still ends the step it belongs to.
 */
public final class StageBuilder {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StageBuilder.class);
    private final BuildSession session;
    private final PlannedStage stage;
    private final OrderedOutput out;
    private final int firstStep;
    private final int totalSteps;
    private final List<Instruction> extra;
    private final MetadataSteps.StageFlags flags = new MetadataSteps.StageFlags();
    private final boolean useCache;
    private ConfigState state;
    private Variables vars;
    private String parent;
    private int step;
    /** The --cache-from images this stage may still take steps from; null until the first cache miss. */
    private List<Image> cacheSources;
    /** The last filesystem step while its commit is under way, or null. */
    private PendingStep pending;
    /**
     * While a base image's ONBUILD triggers run: dockerd shows their steps' output but no image ID per trigger, and
     * the FROM step's ID only after them (the image the triggers made).
     */
    private boolean inTriggers;

    /**
     * @param firstStep the build-wide number of this stage's FROM step
     * @param extra     instructions appended to the stage (the --label LABEL of the target stage)
     */
    public StageBuilder(BuildSession session, PlannedStage stage, BuildOutput out, int firstStep, int totalSteps,
                        List<Instruction> extra) {
        this.session = session;
        this.stage = stage;
        this.out = new OrderedOutput(out);
        this.firstStep = firstStep;
        this.totalSteps = totalSteps;
        this.extra = extra;
        this.useCache = session.useCache(stage.stage());
    }

    public StageResult build() {
        try {
            return buildSteps(); // which stores its last step before it names the stage's image
        } catch (RuntimeException | Error e) {
            try {
                finishPending(); // the last step that succeeded is stored, as it was before this one ran
            } catch (RuntimeException | Error e2) {
                e.addSuppressed(e2);
            }
            throw e;
        }
    }

    private StageResult buildSteps() {
        step = firstStep;
        header(stage.stage().from().original());
        ImageConfig.Config base = from();
        state = ConfigState.from(base);
        vars = session.globals().stage(state.env());
        List<String> triggers = base == null || base.onBuild() == null ? List.of() : base.onBuild();
        if (!triggers.isEmpty()) {
            out.stream("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s") + "\n");
            inTriggers = true;
            for (String t : triggers) {
                Instruction in = DockerfileParser.parseInstruction(t, stage.stage().from().location(),
                        session.dockerfile().directives().escape());
                execute(in);
            }
            inTriggers = false;
            finishPending(); // the ID shown is that of the image the triggers made
        }
        if (parent != null) {
            out.stream(idLine(parent));
        }
        List<Instruction> all = new ArrayList<>(stage.stage().instructions());
        all.addAll(extra);
        for (Instruction in : all) {
            session.cancel().check();
            step++;
            header(in.original());
            long t0 = System.nanoTime();
            execute(in);
            LOG.debug("step {} ({}) took {} ms", step, in.original(), (System.nanoTime() - t0) / 1_000_000);
        }
        finishPending();
        return new StageResult(stage.index(), parent == null ? "" : parent);
    }

    private void header(String text) {
        out.stream("Step " + step + "/" + totalSteps + " : " + text + "\n");
    }

    private ImageConfig.Config from() {
        if (stage.baseStage() != null) {
            parent = emptyToNull(session.awaitStage(stage.baseStage()).imageId());
        } else if (stage.fromScratch()) {
            parent = null;
        } else {
            parent = session.imageId(stage.base(), out);
        }
        if (parent == null) {
            out.stream(" ---> \n");
            return null;
        }
        return session.images().resolve(parent).config().config(); // its ID line once its triggers ran
    }

    private void execute(Instruction raw) {
        Instruction in = raw instanceof Instruction.Arg ? raw : InstructionExpander.expand(raw, vars);
        switch (in) {
            case Instruction.Run r -> run(r);
            case Instruction.Copy c -> copy(c, c.from(), "COPY");
            case Instruction.Add a -> copy(a, null, "ADD");
            case Instruction.Workdir w -> workdir(w);
            case Instruction.From f -> throw new IllegalStateException("FROM inside a stage at " + f.location());
            case Instruction.OnBuild o when isForbiddenTrigger(o) -> throw new InvalidArgumentException(
                    o.location() + ": ONBUILD " + o.trigger().keyword() + " is not allowed");
            default -> {
                if (in instanceof Instruction.Healthcheck) {
                    overridingHealthcheck();
                }
                String comment = MetadataSteps.apply(in, state, vars, flags);
                metadata(CreatedBy.nop(state.shell(), comment), in.original());
            }
        }
    }

    /** dockerd's note when a HEALTHCHECK replaces one (the base image's or an earlier step's), NONE aside. */
    private void overridingHealthcheck() {
        if (state.healthcheck != null && state.healthcheck.get("Test") instanceof List<?> test && !test.isEmpty()
                && !"NONE".equals(test.getFirst())) {
            out.stream("Note: overriding previous HEALTHCHECK: " + test.stream().map(String::valueOf)
                    .collect(java.util.stream.Collectors.joining(" ", "[", "]")) + "\n");
        }
    }

    private static boolean isForbiddenTrigger(Instruction.OnBuild o) {
        return o.trigger() instanceof Instruction.OnBuild || o.trigger() instanceof Instruction.From
                || o.trigger() instanceof Instruction.Maintainer;
    }

    /** A config-only step: one image with an empty_layer history entry. */
    private void metadata(String createdBy, String description) {
        finishPending();
        CacheKey key = new CacheKey(parent, createdBy + "\0entrypoint-resets-cmd=" + !flags.cmdSet, Map.of(),
                List.of(), session.platform());
        if (cached(key, createdBy, description)) {
            return;
        }
        commit(key, null, createdBy, description);
    }

    private void workdir(Instruction.Workdir w) {
        String dir = w.path().startsWith("/") ? w.path() : state.workingDir() + "/" + w.path();
        dir = Path.of(dir).normalize().toString();
        state.workingDir(dir);
        String createdBy = CreatedBy.workdir(state.shell(), dir);
        Function<String, CacheKey> key = p -> new CacheKey(p, createdBy, Map.of(), List.of(), session.platform());
        if (cached(key, createdBy, w.original())) {
            return;
        }
        String target = dir;
        inSnapshot(key, createdBy, w.original(), rootfs -> {
            Path p = RootedPath.resolve(rootfs, target);
            if (!Files.isDirectory(p)) {
                Files.createDirectories(p);
            }
            return null;
        });
    }

    private void run(Instruction.Run r) {
        RunScript.Plan plan = RunScript.plan(r, state.shell());
        List<String> runEnv = vars.runEnv();
        List<String> historyArgs = runEnv.stream()
                .filter(e -> !Variables.PREDEFINED.contains(e.substring(0, e.indexOf('=')))).toList();
        String createdBy = CreatedBy.run(plan.argv(), historyArgs);
        String network = r.network() == null ? session.request().network() : r.network();
        List<String> content = new ArrayList<>(RunMounts.cacheParts(r.mounts(), session, plan.file(), out));
        content.add("network=" + network);
        Function<String, CacheKey> key = p -> new CacheKey(p, "RUN " + createdBy, Map.of(), content,
                session.platform());
        if (cached(key, createdBy, r.original())) {
            return;
        }
        inSnapshot(key, createdBy, r.original(), rootfs -> {
            MountStubs stubs = runStep(r, plan, runEnv, network, rootfs);
            return stubs == null ? null : stubs::removeFrom;
        });
    }

    private MountStubs runStep(Instruction.Run r, RunScript.Plan plan, List<String> runEnv, String network,
                               Path rootfs) throws IOException {
        StepSpec spec = StepSpec.of(session, state, plan.argv(), runEnv, network);
        StepNetwork bridge = session.services().network();
        StepNetwork.Joined joined = spec.bridgeNetwork() ? bridge.join(spec.id(), spec.namedNetwork()) : null;
        try (StepFiles files = StepFiles.create(session.services().stepsDir(), spec.id(), spec.id().substring(0, 12),
                spec.hostNetwork(), joined, session.request().extraHosts());
             RunMounts mounts = RunMounts.prepare(session, files, r.mounts(), plan.file(), out)) {
            List<String> destinations = new ArrayList<>(StepSpec.DEFAULT_MOUNT_POINTS);
            mounts.mounts().forEach(m -> destinations.add(m.destination()));
            MountStubs stubs = MountStubs.before(rootfs, destinations);
            out.stream(" ---> Running in " + spec.id().substring(0, 12) + "\n");
            StepLines lines = new StepLines(out);
            int code = session.runner().run(spec.process(rootfs, mounts, joined == null ? null : joined.netns()),
                    lines::stdout, lines::stderr, session.cancel());
            lines.flush();
            if (code != 0) {
                throw new StepFailedException(String.join(" ", plan.argv()), code, lines.tail());
            }
            out.stream(" ---> Removed intermediate container " + spec.id().substring(0, 12) + "\n");
            return stubs;
        } finally {
            if (joined != null) {
                try {
                    bridge.leave(spec.id());
                } catch (RuntimeException e) {
                    // not in place of the step's own outcome (a step that filled the disk failed, and then so did
                    // the network database's write): what is left of the endpoint the daemon's next start releases
                    LOG.warn("build step {}: cannot leave its network: {}", spec.id().substring(0, 12), e.getMessage());
                }
            }
        }
    }

    private void copy(Instruction in, String from, String keyword) {
        CopyRequest request = in instanceof Instruction.Copy c ? CopyRequest.of(c, state.workingDir())
                : CopyRequest.of((Instruction.Add) in, state.workingDir());
        Snapshots.Mounted view = null;
        try {
            CopySource source;
            if (from == null) {
                source = CopySource.context(session.contextDir(), session.ignore()); // waits for the whole context
            } else {
                view = session.snapshots().mount(session.stageOrImageId(from, out));
                source = CopySource.rootfs(view.rootfs(), session.stage(from).map(s -> "stage " + from)
                        .orElse("image " + from));
            }
            // a COPY from a context this engine has seen, signature and all, has the history digest it had then
            String context = from == null && !request.add() ? session.contextIdentity() : null;
            CopyEngine.ContextCopy seen = context == null ? null : new CopyEngine.ContextCopy(context, request);
            Optional<String> remembered = seen == null ? Optional.empty() : session.copier().rememberedDigest(seen);
            if (remembered.isPresent()
                    && cached(copyKey(in, copyCreatedBy(keyword, request, remembered.get()), remembered.get()),
                    null, in.original())) {
                return; // (a cache source is asked below, once the digest is known for sure)
            }
            try (PreparedCopy prepared = prepare(request, source)) {
                long t0 = System.nanoTime();
                String historyDigest = historyDigest(prepared);
                LOG.debug("digest of {} in {} ms", in.original(), (System.nanoTime() - t0) / 1_000_000);
                if (seen != null) {
                    session.copier().rememberDigest(seen, historyDigest);
                }
                String createdBy = copyCreatedBy(keyword, request, historyDigest);
                Function<String, CacheKey> key = copyKey(in, createdBy, historyDigest);
                if (cached(key, createdBy, in.original())) {
                    return;
                }
                inSnapshot(key, createdBy, in.original(), rootfs -> {
                    long t1 = System.nanoTime();
                    UpperLinks links = new UpperLinks();
                    prepared.apply(rootfs, links);
                    LOG.debug("copied {} in {} ms ({} files to link)", in.original(), (System.nanoTime() - t1) / 1_000_000,
                            links.size());
                    return links.isEmpty() ? null : upper -> {
                        long t2 = System.nanoTime();
                        links.into(upper);
                        LOG.debug("linked {} files of {} in {} ms", links.size(), in.original(),
                                (System.nanoTime() - t2) / 1_000_000);
                    };
                });
            }
        } catch (IOException e) {
            throw new InvalidArgumentException(in.location() + ": " + keyword + " failed: " + e.getMessage());
        } finally {
            if (view != null) {
                view.close();
            }
        }
    }

    /**
     * Resolves a COPY or ADD. An ADD may download or clone for minutes, so a cancel (the client left) interrupts it
     * then: git is killed, the download stops, and the build ends as cancelled rather than at the step's end.
     */
    private PreparedCopy prepare(CopyRequest request, CopySource source) throws IOException {
        if (!request.add()) {
            return session.copier().prepare(request, source);
        }
        dev.skiff.image.Progress progress = out::progress;
        return session.cancel().interruptibly(() -> session.copier().prepare(request, source, progress));
    }

    /** The history line of a COPY or ADD whose sources have {@code historyDigest} ("file:HEX"...). */
    private String copyCreatedBy(String keyword, CopyRequest request, String historyDigest) {
        return CreatedBy.copy(state.shell(), keyword, request.chown(), historyDigest, request.dest());
    }

    /**
     * The cache key of a COPY or ADD whose sources have {@code historyDigest}, over a parent image to come: the
     * key holds the sources' digest ("sha256:HEX", as before the history's kind was part of it).
     */
    private Function<String, CacheKey> copyKey(Instruction in, String createdBy, String historyDigest) {
        String digest = "sha256:" + historyDigest.substring(historyDigest.indexOf(':') + 1);
        return p -> new CacheKey(p, createdBy, Map.of(), List.of(digest, in.original()), session.platform());
    }

    /**
     * Docker's "file:HEX", "dir:HEX" or "multi:HEX" for the history line: "multi" when more than one source is copied
     * once wildcards are expanded, as dockerd counts them, "dir" for one directory (also one a wildcard or a
     * top-level symlink names, or a Git repository).
     */
    private static String historyDigest(PreparedCopy prepared) throws IOException {
        String digest = prepared.digest();
        String hex = digest.startsWith("sha256:") ? digest.substring(7) : digest;
        if (prepared.sourceCount() != 1) {
            return "multi:" + hex;
        }
        return (prepared.copiesOneDirectory() ? "dir:" : "file:") + hex;
    }

    /**
     * A filesystem step: the work runs in a fresh snapshot over the parent (and over the step before, when its
     * commit is still under way), whose changes become the layer.
     */
    private void inSnapshot(Function<String, CacheKey> key, String createdBy, String description, Work work) {
        List<Path> lowers = pending != null ? pending.lowersAbove() : session.snapshots().layerDirs(parent);
        Snapshots.Mounted snap = session.snapshots().mountOver(lowers);
        boolean handedOver = false;
        try {
            AfterUnmount after;
            try {
                after = work.run(snap.rootfs());
            } catch (IOException e) {
                throw new dev.skiff.errors.InternalException(description + ": " + e.getMessage(), e);
            } finally {
                snap.unmount();
            }
            finishPending(); // nothing uses the step before as a lower layer any more: it may move into the store
            session.cancel().check();
            Path upper = snap.upper();
            if (after != null) {
                try {
                    after.finish(upper);
                } catch (IOException e) {
                    throw new dev.skiff.errors.InternalException(description + ": cannot finish its layer in " + upper
                            + ": " + e.getMessage(), e);
                }
            }
            boolean empty;
            try {
                try (var list = Files.list(upper)) {
                    empty = list.findAny().isEmpty();
                }
            } catch (IOException e) {
                throw new dev.skiff.errors.InternalException("cannot read the changes of " + description + ": "
                        + e.getMessage(), e);
            }
            if (empty) {
                commit(key.apply(parent), null, createdBy, description);
            } else {
                pending = PendingStep.start(session.images(), session.snapshots(), out, snap, key, description,
                        new CommitRequest(parent, upper, configToCommit(description), createdBy, flags.author, null, null,
                                true),
                        !inTriggers);
                handedOver = true;
            }
        } finally {
            if (!handedOver) {
                snap.close();
            }
        }
    }

    /**
     * Stores the step whose commit is under way: waits for its layer's hash, moves the layer into the store,
     * records the image and its cache entry, and deletes what is left of its snapshot.
     */
    private void finishPending() {
        PendingStep p = pending;
        if (p == null) {
            return;
        }
        pending = null;
        try {
            PreparedCommit prepared = p.await();
            long t0 = System.nanoTime();
            Image before = parentImage();
            session.holdNew(prepared.id()); // a prune must not catch it between its publication and the next step
            adopt(before, session.images().publish(prepared), p.key().apply(parent), p.description());
            LOG.debug("stored {} in {} ms", p.description(), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            p.close();
        }
    }

    /**
     * Whether the step is in the build cache or, failing that, in a --cache-from image; on a hit, its image is
     * the new parent.
     *
     * @param createdBy   the step's history line, which a cache source's step must have; null to ask only the cache
     * @param description the instruction, for the cache record of a step taken from a cache source
     */
    private boolean cached(Function<String, CacheKey> key, String createdBy, String description) {
        // a step over one still being committed stands on a new image, which no cache entry or source names
        return pending == null && cached(key.apply(parent), createdBy, description);
    }

    private boolean cached(CacheKey key, String createdBy, String description) {
        if (!useCache) {
            return false;
        }
        String digest = key.digest();
        Optional<CacheRecord> hit = session.cache().find(digest);
        // only whether the image is still there: reading it (its config parsed, every tag listed) cost ~0.3 ms a step;
        // the hit's image is held for the rest of the build, or else it is gone and the step runs
        if (hit.isEmpty() || !session.hold(hit.get().imageId())) {
            return createdBy != null && fromCacheSource(key, createdBy, description);
        }
        session.cache().touch(digest, System.currentTimeMillis());
        parent = hit.get().imageId();
        out.stream(" ---> Using cache\n" + idLine(parent));
        return true;
    }

    /**
     * The classic builder's --cache-from (dockerd's image/cache): a source image whose history begins with the
     * parent's history and layers and whose next entry is this step's {@code createdBy} gives the step without
     * running it: the source itself when that entry is its last, else an image of the parent plus that entry and
     * its layer. After a hit the stage keeps to that source, as dockerd does. The step is recorded in the build
     * cache, so the next build finds it there.
     */
    private boolean fromCacheSource(CacheKey key, String createdBy, String description) {
        if (cacheSources == null) {
            cacheSources = session.cacheSources();
        }
        if (cacheSources.isEmpty()) {
            return false;
        }
        Image before = parentImage();
        for (Image source : cacheSources) {
            Optional<CacheSources.Step> step = CacheSources.match(source.config(), before == null ? null : before.config(),
                    createdBy);
            if (step.isEmpty()) {
                continue;
            }
            Image image;
            try {
                image = step.get().last() ? source : session.images().commitFromCache(parent, state.toConfig(),
                        step.get().history(), step.get().diffId());
            } catch (dev.skiff.errors.NotFoundException e) {
                LOG.debug("cache source {} for {}: {}", source.id(), description, e.getMessage());
                continue;
            }
            cacheSources = List.of(source);
            adopt(before, image, key, description);
            out.stream(" ---> Using cache\n" + idLine(parent));
            return true;
        }
        return false;
    }

    private void commit(CacheKey key, Path diffDir, String createdBy, String description) {
        session.cancel().check();
        long t0 = System.nanoTime();
        Image before = parentImage();
        adopt(before, session.images().commit(new CommitRequest(parent, diffDir, configToCommit(description), createdBy,
                flags.author, null, null, diffDir != null)), key, description);
        out.stream(idLine(parent));
        LOG.debug("committed {} in {} ms", description, (System.nanoTime() - t0) / 1_000_000);
    }

    /** The most bytes a step's image config may take (its JSON): far above any real one (Env and Labels of kB). */
    static final int MAX_CONFIG = 256 << 10;

    /**
     * The stage's config for a step's image, refused past {@link #MAX_CONFIG}: every later step's image carries it
     * again, so a few LABEL or ENV lines of tens of thousands of entries made gigabytes of image configs.
     */
    private ImageConfig.Config configToCommit(String description) {
        ImageConfig.Config c = state.toConfig();
        int size;
        try {
            size = dev.skiff.sys.Json.COMPACT.writeValueAsBytes(c).length;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new dev.skiff.errors.InternalException(description + ": cannot write the image config: " + e.getMessage(), e);
        }
        if (size > MAX_CONFIG) {
            throw new dev.skiff.errors.InvalidArgumentException(description + ": the image config would be " + size
                    + " bytes, more than the " + (MAX_CONFIG >> 10) + " KiB a build step's image may have (keep large"
                    + " data in files rather than in ENV or LABEL)");
        }
        return c;
    }

    private Image parentImage() {
        return parent == null ? null : session.images().resolve(parent);
    }

    /**
     * Records {@code image}, just made over the current parent ({@code before}, or null), in the build cache under
     * {@code key} with the size it adds, and makes it the parent of the next step.
     */
    private void adopt(Image before, Image image, CacheKey key, String description) {
        if (!session.hold(image.id())) {
            throw new dev.skiff.errors.NotFoundException("the image of " + description + " (" + image.id()
                    + ") was removed as soon as the build made it: build again");
        }
        long size = image.size() - (before == null ? 0 : before.size());
        session.cache().put(key.digest(), image.id(), parent == null ? "" : parent, description, Math.max(0, size),
                System.currentTimeMillis());
        parent = image.id();
    }

    /** " ---> ID\n" after a step, or nothing for a step of an ONBUILD trigger. */
    private String idLine(String imageId) {
        return inTriggers ? "" : " ---> " + shortId(imageId) + "\n";
    }

    static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @FunctionalInterface
    private interface Work {
        /** Does the step's work in the mounted rootfs; returns what is left to do in its upper dir, or null. */
        AfterUnmount run(Path rootfs) throws IOException;
    }

    /** The rest of a step's work, in its snapshot's upper directory once unmounted (see MountStubs, UpperLinks). */
    private interface AfterUnmount {
        void finish(Path upper) throws IOException;
    }
}

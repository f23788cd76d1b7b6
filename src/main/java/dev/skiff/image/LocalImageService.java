package dev.skiff.image;

import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.SkiffException;
import dev.skiff.sys.Sqlite;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The image store on this host: blobs in a {@link ContentStore}, unpacked layers in a {@link LayerStore},
 * image records, tags and digests in SQLite. An image record is written last, after its layers are in
 * place, so a crash leaves at most unreferenced layers, which start-up collects.
 */
public final class LocalImageService implements ImageService {
    private static final Logger LOG = LoggerFactory.getLogger(LocalImageService.class);
    private static final Pattern HEX_PREFIX = Pattern.compile("[a-f0-9]{1,64}");

    final ContentStore content;
    final LayerStore layers;
    final ImageRecords records;
    final Leases leases = new Leases();
    /** Layers being fetched now, by diffID: a second pull of the same layer waits for the first (single flight). */
    final java.util.concurrent.ConcurrentHashMap<Digest, java.util.concurrent.CompletableFuture<Void>> fetching =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** Serializes changes to records and garbage collection. */
    final Object lock = new Object();
    private final List<ImageEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Path tmpDir;
    /**
     * Parsed configs by image ID, so listing a thousand images does not parse a thousand JSON documents per
     * request. The ID is the digest of the config's bytes: an entry is never stale, only perhaps no longer needed.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, ParsedConfig> parsed =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param tmpDir where archives being loaded are spooled (emptied now: leftovers are from a crash);
     *               best on the same filesystem as the stores
     */
    public LocalImageService(ContentStore content, LayerStore layers, Sqlite db, Path tmpDir) throws IOException {
        this.content = content;
        this.layers = layers;
        this.records = new ImageRecords(db);
        this.tmpDir = tmpDir;
        if (java.nio.file.Files.exists(tmpDir)) {
            LayerUnpacker.deleteTree(tmpDir);
        }
        java.nio.file.Files.createDirectories(tmpDir);
        collectGarbage();
        purgeDeletedLayers();
        sweepUnrecordedBlobs();
    }

    /**
     * At start-up, before any work is in flight: deletes blobs no layer record names (a load cut short by a crash
     * leaves the archive's files it had stored). Only layer blobs live in the content store.
     */
    private void sweepUnrecordedBlobs() throws IOException {
        Set<Digest> recorded = new HashSet<>();
        records.layerBlobs().values().stream().filter(b -> !b.isRegenerated()).forEach(b -> recorded.add(b.blob()));
        for (Digest d : content.list()) {
            if (!recorded.contains(d)) {
                content.delete(d);
            }
        }
    }

    /** The store under {@code root} (content/, layers/, tmp/images/) with its records in {@code db}. */
    public static LocalImageService open(Path root, Sqlite db) {
        try {
            return new LocalImageService(new FileContentStore(root), new OverlayLayerStore(root), db,
                    root.resolve("tmp/images"));
        } catch (IOException e) {
            throw new InternalException("cannot open the image store in " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Image resolve(String nameOrId) {
        return find(nameOrId).orElseThrow(() -> noSuchImage(nameOrId));
    }

    @Override
    public Optional<String> findIdAndHold(String nameOrId, java.util.function.Consumer<String> hold) {
        synchronized (lock) {
            Optional<String> id = findId(nameOrId);
            id.ifPresent(hold);
            return id;
        }
    }

    /** Under the lock removals and prunes take to ask for the image's users, so none runs between the two. */
    @Override
    public Image resolveAndHold(String nameOrId, java.util.function.Consumer<String> hold) {
        synchronized (lock) {
            Image image = resolve(nameOrId);
            hold.accept(image.id());
            return image;
        }
    }

    /**
     * dockerd's "No such image" names a reference as it normalized it ("nosuch" -> "nosuch:latest",
     * "docker.io/library/x" -> "x:latest"); an ID, a digest or text that is no reference stays as given.
     */
    static NotFoundException noSuchImage(String nameOrId) {
        String shown = nameOrId;
        if (!nameOrId.startsWith("sha256:") && Reference.isValid(nameOrId)) {
            shown = Reference.parseWithDefaultTag(nameOrId).familiar();
        }
        return new NotFoundException("No such image: " + shown);
    }

    @Override
    public Optional<Image> find(String nameOrId) {
        return findId(nameOrId).flatMap(this::image);
    }

    /** Docker's lookup order: a full ID, then a reference, then a unique ID prefix. */
    @Override
    public Optional<String> findId(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        if (Digest.isDigest(s) && records.get(s).isPresent()) {
            return Optional.of(s);
        }
        if (Reference.isValid(s)) {
            Reference ref = Reference.parse(s);
            Optional<String> id = ref.digest() != null
                    ? records.byRepoDigest(ref.name() + "@" + ref.digest())
                    : records.byTag(ref.withDefaultTag().toString());
            if (id.isPresent()) {
                return id;
            }
        }
        String hex = s.startsWith("sha256:") ? s.substring(7) : s;
        if (HEX_PREFIX.matcher(hex).matches()) {
            List<String> ids = records.idsWithPrefix(hex);
            if (ids.size() == 1) {
                return Optional.of(ids.getFirst());
            }
        }
        return Optional.empty();
    }

    Optional<Image> image(String id) {
        return records.get(id).map(row -> toImage(row, records.tags(), records.repoDigests()));
    }

    private Image toImage(ImageRecords.Row row, Map<String, List<String>> tags, Map<String, List<String>> digests) {
        ParsedConfig p = parsed.computeIfAbsent(row.id(), id -> ParsedConfig.of(row.config()));
        return new Image(row.id(), tags.getOrDefault(row.id(), List.of()), digests.getOrDefault(row.id(), List.of()),
                p.created() != null ? p.created() : Instant.ofEpochMilli(row.added()), row.size(), p.config(),
                row.parent());
    }

    /**
     * A parsed, frozen config, its creation time (null when it has none that parses) and its layers' chain IDs
     * (a SHA-256 per layer: system df and every container create ask for them).
     */
    private record ParsedConfig(ImageConfig config, Instant created, List<Digest> chainIds) {
        static ParsedConfig of(byte[] json) {
            ImageConfig config = ImageConfigs.freeze(ImageConfigs.parse(json));
            return new ParsedConfig(config, ImageConfigs.created(config, null),
                    List.copyOf(ImageConfigs.chainIds(config)));
        }
    }

    /** The image's chain IDs, from the parsed-config cache when the image came from it. */
    private List<Digest> chainIds(Image image) {
        ParsedConfig p = parsed.get(image.id());
        return p != null && p.config() == image.config() ? p.chainIds() : ImageConfigs.chainIds(image.config());
    }

    /** An image record is gone: its parsed config need not stay in memory. */
    void forgetConfig(String id) {
        parsed.remove(id);
    }

    /** Whether the parsed config of image {@code id} is held in memory (tests). */
    boolean holdsParsedConfig(String id) {
        return parsed.containsKey(id);
    }

    Path tmpDir() {
        return tmpDir;
    }

    @Override
    public byte[] configBytes(String id) {
        return records.get(id).orElseThrow(() -> new NotFoundException("No such image: " + id)).config();
    }

    @Override
    public Instant lastTagTime(String id) {
        long t = records.lastTagged(id);
        return t == 0 ? null : Instant.ofEpochMilli(t);
    }

    @Override
    public List<Image> list() {
        Map<String, List<String>> tags = records.tags();
        Map<String, List<String>> digests = records.repoDigests();
        List<ImageRecords.Row> rows = records.all();
        if (parsed.size() > rows.size()) {
            // configs of records gone by a path that did not say so (a retained record's, an ID only looked up)
            Set<String> ids = new HashSet<>();
            rows.forEach(r -> ids.add(r.id()));
            parsed.keySet().retainAll(ids);
        }
        return rows.stream().map(r -> toImage(r, tags, digests))
                .sorted(Comparator.comparing(Image::created).reversed().thenComparing(Image::id)).toList();
    }

    @Override
    public List<Path> layerDirs(Image image) {
        return chainIds(image).stream().map(layers::diffDir).toList();
    }

    @Override
    public List<Layer> layers(Image image) {
        return chainIds(image).stream()
                .map(c -> layers.get(c).orElseThrow(() -> new InternalException("layer " + c + " of image "
                        + image.id() + " is missing from the layer store (remove the image and load it again)")))
                .toList();
    }

    @Override
    public Image importRootfs(InputStream tar, ImportOptions options, Progress progress) {
        List<Reference> tags = options.reference() == null || options.reference().isBlank()
                ? List.of() : List.of(Reference.parseWithDefaultTag(options.reference()));
        ImageConfig.Config config = ConfigChanges.apply(null, options.changes());
        String[] platform = platform(options.platform());
        String now = ImageConfigs.format(Instant.now());
        String message = options.message() == null || options.message().isBlank() ? "Imported from -" : options.message();
        try (Leases.Lease lease = leases.open()) {
            Layer layer = ingestLayer(null, tar, null, -1, lease, progress);
            ImageConfig ic = new ImageConfig(platform[1], platform[0], platform.length > 2 ? platform[2] : null, now,
                    null, message, null, config, new ImageConfig.RootFs("layers", List.of(layer.diffId().toString())),
                    List.of(new ImageConfig.History(now, null, null, message, null)));
            return register(ImageConfigs.bytes(ic), "", tags, List.of(), "import");
        }
    }

    private static String[] platform(String requested) {
        if (requested == null || requested.isBlank()) {
            return ImageConfigs.hostPlatform();
        }
        String[] parts = requested.split("/");
        if (parts.length < 2 || parts.length > 3) {
            throw new InvalidArgumentException("invalid platform " + requested + " (expected os/arch[/variant])");
        }
        return parts;
    }

    /**
     * Stores one layer: the raw bytes (compressed or not) as a blob, the unpacked tree in the layer store.
     * A layer already present with its blob is not read again.
     */
    Layer ingestLayer(Digest parent, InputStream raw, Digest expectedDiffId, long total, Leases.Lease lease,
                      Progress progress) {
        if (expectedDiffId != null) {
            Digest chain = LayerStore.chainId(parent, expectedDiffId);
            lease.add(chain);
            Optional<Layer> present = layers.get(chain);
            if (present.isPresent() && LayerTars.kept(this, expectedDiffId).isPresent()) {
                return present.get();
            }
        }
        if (expectedDiffId == null) {
            lease.unnamed();
        }
        try (ContentStore.Writer blob = content.writer()) {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            Compression compression = Compression.detect(buffered);
            String id = expectedDiffId == null ? "" : expectedDiffId.shortHex();
            TeeInputStream tee = new TeeInputStream(buffered, blob.out(),
                    n -> progress.update(id, "Loading layer", n, total));
            // Verified inside apply (nothing kept on mismatch) unless the tree is present and only the blob is missing.
            boolean present = expectedDiffId != null && layers.exists(LayerStore.chainId(parent, expectedDiffId));
            Layer layer = layers.apply(parent, tee, present ? null : expectedDiffId);
            lease.add(layer.chainId());
            if (expectedDiffId != null && !expectedDiffId.equals(layer.diffId())) {
                throw new InvalidArgumentException("layer " + expectedDiffId + " failed verification: its tar hashes to "
                        + layer.diffId() + " (the archive is corrupt)");
            }
            tee.transferTo(OutputStream.nullOutputStream()); // trailing bytes after the compressed stream
            Digest digest = blob.commit(null, -1);
            lease.add(digest);
            synchronized (lock) {
                Optional<ImageRecords.LayerBlob> existing = records.layerBlob(layer.diffId());
                if (existing.isPresent() && content.exists(existing.get().blob()) && !existing.get().isRegenerated()) {
                    if (!existing.get().blob().equals(digest)) {
                        content.delete(digest); // the layer is already kept in another compression
                    }
                } else {
                    records.putLayerBlob(layer.diffId(), new ImageRecords.LayerBlob(digest, compression.mediaType()));
                }
            }
            return layer;
        } catch (IOException e) {
            throw new InvalidArgumentException("cannot read layer"
                    + (expectedDiffId == null ? "" : " " + expectedDiffId) + ": " + e.getMessage(), e);
        }
    }

    /** Writes an image record whose layers are all in place, then points its tags at it (a "tag" event each). */
    Image register(byte[] config, String parent, List<Reference> tags, List<String> repoDigests, String event) {
        return register(config, parent, tags, repoDigests, event, true);
    }

    /**
     * As above; {@code tagEvents} false for a load or a pull, whose names dockerd sets without "tag" events (only the
     * "load" or "pull" event is published).
     */
    Image register(byte[] config, String parent, List<Reference> tags, List<String> repoDigests, String event,
                   boolean tagEvents) {
        ImageConfig parsed = ImageConfigs.parse(config);
        String id = Digest.sha256(config).toString();
        long size = 0;
        for (Digest chain : ImageConfigs.chainIds(parsed)) {
            size += layers.get(chain).orElseThrow(() -> new InternalException("layer " + chain
                    + " vanished before image " + id + " was recorded")).size();
        }
        List<String> refs = tags.stream().map(Reference::toString).toList();
        synchronized (lock) {
            records.put(new ImageRecords.Row(id, config, parent == null ? "" : parent, size, System.currentTimeMillis()),
                    refs, repoDigests);
        }
        for (Reference tag : tagEvents ? tags : List.<Reference>of()) {
            emit("tag", id, Map.of("name", tag.familiar()));
        }
        if (event != null) {
            emit(event, id, Map.of()); // after the tags, as dockerd's import tags and then logs "import"
        }
        return image(id).orElseThrow();
    }

    @Override
    public Image addImage(byte[] config, List<LayerSource> sources, List<String> tags, List<String> repoDigests,
                          Progress progress) {
        return addImage(config, sources, tags, repoDigests, progress, 1);
    }

    @Override
    public Image addImage(byte[] config, List<LayerSource> sources, List<String> tags, List<String> repoDigests,
                          Progress progress, int concurrency) {
        return new ImageAdder(this).add(config, sources, tags, repoDigests, progress, concurrency);
    }

    @Override
    public StoredLayer compressedLayer(String diffId) {
        return new LayerCompressor(this).gzipped(Digest.parse(diffId));
    }

    @Override
    public Optional<GzipLayerStream> gzipWhileReading(String diffId) {
        return new LayerCompressor(this).streaming(Digest.parse(diffId));
    }

    @Override
    public void addRepoDigest(String imageId, String repoDigest) {
        Reference r = Reference.parse(repoDigest);
        if (r.digest() == null) {
            throw new InvalidArgumentException("repo digest " + repoDigest + " has no @sha256: digest");
        }
        synchronized (lock) {
            ImageRecords.Row row = records.get(imageId).orElseThrow(() -> new NotFoundException("No such image: " + imageId));
            records.put(row, List.of(), List.of(r.name() + "@" + r.digest()));
        }
    }

    @Override
    public Optional<StoredLayer> storedLayer(String diffId) {
        return records.layerBlob(Digest.parse(diffId)).filter(b -> content.exists(b.blob())).map(b -> {
            try {
                return new StoredLayer(diffId, b.blob().toString(), b.mediaType(), content.size(b.blob()));
            } catch (IOException e) {
                throw new InternalException("cannot read blob " + b.blob() + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public InputStream openBlob(String digest) {
        try {
            return content.open(Digest.parse(digest));
        } catch (IOException e) {
            throw new InternalException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Image> load(InputStream archive, Progress progress) {
        return new ArchiveLoader(this).load(archive, progress);
    }

    @Override
    public void save(List<String> names, OutputStream out) {
        new ArchiveWriter(this).save(names, out);
    }

    @Override
    public Image commit(CommitRequest request) {
        return new ImageCommitter(this).commit(request);
    }

    @Override
    public Image commitFromCache(String parentId, ImageConfig.Config config, ImageConfig.History step, String diffId) {
        return new ImageCommitter(this).fromCache(parentId, config, step, diffId);
    }

    @Override
    public PreparedCommit prepareCommit(CommitRequest request) {
        return new ImageCommitter(this).prepare(request);
    }

    @Override
    public Image publish(PreparedCommit prepared) {
        return new ImageCommitter(this).publish(prepared);
    }

    @Override
    public void tag(String source, String target) {
        String id = findId(source).orElseThrow(() -> noSuchImage(source)); // the ID is all a tag needs
        Reference ref = Reference.parse(target);
        if (ref.digest() != null) {
            throw new InvalidArgumentException("refusing to create a tag with a digest reference: " + target);
        }
        ref = ref.withDefaultTag();
        synchronized (lock) {
            records.tag(ref.toString(), id);
        }
        emit("tag", id, Map.of("name", ref.familiar()));
    }

    @Override
    public List<RemovedEntry> remove(String nameOrId, boolean force, boolean noPrune, ImageUsers users) {
        try {
            synchronized (lock) {
                return new ImageDeleter(this, users).remove(nameOrId, force, !noPrune);
            }
        } finally {
            purgeDeletedLayers();
        }
    }

    @Override
    public PruneResult prune(boolean all, Predicate<Image> filter, ImageUsers users) {
        try {
            synchronized (lock) {
                return new ImageDeleter(this, users).prune(all, filter);
            }
        } finally {
            purgeDeletedLayers();
        }
    }

    @Override
    public List<HistoryEntry> history(String nameOrId) {
        return ImageHistory.of(this, resolve(nameOrId));
    }

    @Override
    public void addListener(ImageEventListener listener) {
        listeners.add(listener);
    }

    void emit(String action, String idOrRef, Map<String, String> attributes) {
        for (ImageEventListener l : listeners) {
            try {
                l.onImageEvent(action, idOrRef, attributes);
            } catch (RuntimeException e) {
                LOG.warn("image event listener failed on {} {}", action, idOrRef, e);
            }
        }
    }

    /**
     * A tar regenerated from a layer directory about to be collected, while another image still has that diff (on
     * another parent): the record moves to a kept layer directory that gives the same bytes, or else the tar is
     * stored as a blob before its directory goes.
     */
    private void keepRegeneratedTars(Set<Digest> used, Set<Digest> usedDiffIds, Map<Digest, Set<Digest>> chainsByDiffId)
            throws IOException {
        for (Map.Entry<Digest, ImageRecords.LayerBlob> e : records.layerBlobs().entrySet()) {
            Digest diffId = e.getKey();
            ImageRecords.LayerBlob b = e.getValue();
            if (!b.isRegenerated() || used.contains(b.source()) || !usedDiffIds.contains(diffId)) {
                continue;
            }
            if (content.exists(b.blob())) {
                records.putLayerBlob(diffId, new ImageRecords.LayerBlob(b.blob(), b.mediaType())); // stored already
                continue;
            }
            Optional<Layer> source = layers.get(b.source());
            if (source.isEmpty()) {
                continue;
            }
            Optional<ImageRecords.LayerBlob> moved = Optional.empty();
            for (Digest chain : chainsByDiffId.getOrDefault(diffId, Set.of())) {
                if (layers.exists(chain)) {
                    try {
                        LayerTars.verify(layers.diffDir(chain), diffId, source.get().tarSize());
                        moved = Optional.of(ImageRecords.LayerBlob.regenerated(diffId, chain));
                        break;
                    } catch (IOException ex) {
                        // unpacked from a pulled tar, say: its files need not give the same bytes
                    }
                }
            }
            if (moved.isEmpty()) {
                try (ContentStore.Writer w = content.writer()) {
                    LayerDiff.writeLayer(layers.diffDir(b.source()), w.out());
                    w.out().flush();
                    w.commit(diffId, source.get().tarSize());
                    moved = Optional.of(new ImageRecords.LayerBlob(diffId, Compression.NONE.mediaType()));
                } catch (IOException | SkiffException ex) {
                    LOG.warn("cannot keep the tar of layer {} before its directory {} is removed: {}", diffId,
                            b.source(), ex.getMessage());
                }
            }
            moved.ifPresent(m -> records.putLayerBlob(diffId, m));
        }
    }

    /**
     * Lets go of the images a forced rmi deleted under stopped containers once no container uses them any more, and
     * of the layers only they kept (called after a container is removed, and at start-up).
     */
    @Override
    public void releaseUnused(ImageUsers users) {
        synchronized (lock) {
            boolean released = false;
            for (String id : records.retained().keySet()) {
                if (!users.inUse(id)) {
                    records.release(id);
                    released = true;
                }
            }
            if (released) {
                collectGarbage();
            }
        }
        purgeDeletedLayers();
    }

    /**
     * Removes the files of the layers garbage collection deleted, outside the lock: the store no longer lists
     * them, and removing a big layer's files must not hold up the lookups of creates and builds meanwhile. The
     * caller still waits for it, so `docker rmi` returns with the space freed, as dockerd's does.
     */
    private void purgeDeletedLayers() {
        try {
            layers.purge();
        } catch (IOException e) {
            LOG.warn("removing deleted layers' files failed (they go when the daemon starts again): {}", e.getMessage());
        }
    }

    /**
     * Deletes layers and layer blobs no image uses and no work in progress holds.
     *
     * @return the deleted layers
     */
    List<Layer> collectGarbage() {
        synchronized (lock) {
            Set<Digest> used = new HashSet<>(leases.held());
            Set<Digest> usedDiffIds = new HashSet<>(used);
            Map<Digest, Set<Digest>> chainsByDiffId = new java.util.HashMap<>();
            List<byte[]> configs = new ArrayList<>();
            records.all().forEach(row -> configs.add(row.config()));
            configs.addAll(records.retained().values()); // their stopped containers still run on these layers
            for (byte[] raw : configs) {
                ImageConfig config = ImageConfigs.parse(raw);
                List<Digest> chains = ImageConfigs.chainIds(config);
                List<Digest> diffIds = ImageConfigs.diffIds(config);
                used.addAll(chains);
                usedDiffIds.addAll(diffIds);
                for (int i = 0; i < chains.size(); i++) {
                    chainsByDiffId.computeIfAbsent(diffIds.get(i), k -> new HashSet<>()).add(chains.get(i));
                }
            }
            if (leases.anyUnnamed()) {
                return List.of(); // an import may have just made a layer it has not named yet: collect later
            }
            try {
                keepRegeneratedTars(used, usedDiffIds, chainsByDiffId);
                List<Layer> deleted = new ArrayList<>(layers.gc(used));
                for (Map.Entry<Digest, ImageRecords.LayerBlob> blob : records.layerBlobs().entrySet()) {
                    if (!usedDiffIds.contains(blob.getKey()) && !used.contains(blob.getValue().blob())) {
                        records.deleteLayerBlob(blob.getKey());
                        content.delete(blob.getValue().blob());
                    }
                }
                return deleted;
            } catch (IOException | SkiffException e) {
                LOG.warn("image store garbage collection failed: {}", e.getMessage());
                return List.of();
            }
        }
    }
}

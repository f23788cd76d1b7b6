package dev.skiff.image;

import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Stores an image whose layers come from elsewhere (a registry pull): missing layers are fetched in parallel,
 * each unpacked while it streams and verified twice before it becomes visible (the blob against its digest, the
 * tar against its diffID). Layers of one image unpack side by side because their chainIDs are known from the
 * config before any parent is in place; the image record is written only once all are.
 *
 * <p>Single flight: a layer is fetched under its diffID in {@link LocalImageService#fetching}; a second pull that
 * needs it meanwhile waits, then finds it present (or unpacks it from the kept blob), so no blob is fetched twice.
 */
final class ImageAdder {
    private static final int BUFFER = 1 << 16;

    private final LocalImageService store;
    private final Set<InputStream> open = ConcurrentHashMap.newKeySet();
    private volatile boolean failed;

    ImageAdder(LocalImageService store) {
        this.store = store;
    }

    Image add(byte[] config, List<LayerSource> sources, List<String> tags, List<String> repoDigests,
              Progress progress, int concurrency) {
        List<Digest> diffIds = ImageConfigs.diffIds(ImageConfigs.parse(config));
        if (diffIds.size() != sources.size()) {
            throw new InvalidArgumentException("image config lists " + diffIds.size() + " layers but "
                    + sources.size() + " were given");
        }
        for (int i = 0; i < diffIds.size(); i++) {
            if (!diffIds.get(i).toString().equals(sources.get(i).diffId())) {
                throw new InvalidArgumentException("layer " + i + " is " + sources.get(i).diffId()
                        + " but the config says " + diffIds.get(i));
            }
        }
        List<Reference> refs = tags.stream().map(Reference::parseWithDefaultTag).toList();
        if (refs.stream().anyMatch(r -> r.digest() != null)) {
            throw new InvalidArgumentException("tags " + tags + " must not carry digests (pass those as repo digests)");
        }
        List<String> digests = repoDigests.stream().map(ImageAdder::repoDigest).toList();
        List<Digest> chains = LayerStore.chainIds(diffIds);
        try (Leases.Lease lease = store.leases.open()) {
            chains.forEach(lease::add);
            diffIds.forEach(lease::add);
            fetchMissing(sources, diffIds, chains, lease, progress, Math.max(1, concurrency));
            Image image = store.register(config, "", refs, digests, null, false);
            store.emit("pull", refs.isEmpty() ? image.id() : refs.getFirst().familiar(), Map.of());
            return image;
        }
    }

    private static String repoDigest(String d) {
        Reference r = Reference.parse(d);
        if (r.digest() == null) {
            throw new InvalidArgumentException("repo digest " + d + " has no @sha256: digest");
        }
        return r.name() + "@" + r.digest();
    }

    private void fetchMissing(List<LayerSource> sources, List<Digest> diffIds, List<Digest> chains, Leases.Lease lease,
                              Progress progress, int concurrency) {
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            if (complete(chains.get(i), diffIds.get(i))) {
                progress.update(sources.get(i).progressId(), "Already exists", -1, -1);
            } else {
                progress.update(sources.get(i).progressId(), "Pulling fs layer", -1, -1);
                missing.add(i);
            }
        }
        for (int k = concurrency; k < missing.size(); k++) {
            progress.update(sources.get(missing.get(k)).progressId(), "Waiting", -1, -1);
        }
        Semaphore slots = new Semaphore(concurrency, true);
        RuntimeException first = null;
        // Platform threads: compressing, hashing and unpacking are CPU-bound and would pin the virtual threads'
        // few carriers, starving every other virtual thread of the daemon (the HTTP server's included).
        try (ExecutorService workers = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().name("layer-", 0).factory())) {
            List<Future<?>> running = new ArrayList<>();
            for (int i : missing) {
                Digest parent = i == 0 ? null : chains.get(i - 1);
                running.add(workers.submit(() -> {
                    layer(sources.get(i), parent, diffIds.get(i), lease, progress, slots);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = asRuntime(e.getCause());
                        abort();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    abort();
                    throw new UnavailableException("interrupted while storing the layers of an image", e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Fails the others fast: their reads end once their streams are closed. */
    private void abort() {
        failed = true;
        for (InputStream in : open) {
            try {
                in.close();
            } catch (IOException ignored) {
                // closing only to interrupt a read
            }
        }
    }

    private static RuntimeException asRuntime(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        return new InternalException("cannot store a layer: " + t.getMessage(), t);
    }

    /** Both the unpacked tree and the blob are here. */
    private boolean complete(Digest chain, Digest diffId) {
        return store.layers.exists(chain) && keptBlob(diffId).isPresent();
    }

    private Optional<ImageRecords.LayerBlob> keptBlob(Digest diffId) {
        return LayerTars.kept(store, diffId);
    }

    private void layer(LayerSource source, Digest parent, Digest diffId, Leases.Lease lease, Progress progress,
                       Semaphore slots) throws IOException, InterruptedException {
        Digest chain = LayerStore.chainId(parent, diffId);
        String id = source.progressId();
        while (true) {
            if (complete(chain, diffId)) {
                progress.update(id, "Already exists", -1, -1);
                return;
            }
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> other = store.fetching.putIfAbsent(diffId, mine);
            if (other != null) {
                progress.update(id, "Waiting", -1, -1);
                try {
                    other.join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    // the other pull failed: try ourselves
                }
                continue;
            }
            try {
                store(source, parent, diffId, lease, progress, slots);
                mine.complete(null);
            } catch (Throwable t) {
                mine.completeExceptionally(t);
                throw t;
            } finally {
                store.fetching.remove(diffId, mine);
            }
            progress.update(id, "Pull complete", -1, -1);
            return;
        }
    }

    private void store(LayerSource source, Digest parent, Digest diffId, Leases.Lease lease, Progress progress,
                       Semaphore slots) throws IOException, InterruptedException {
        Optional<ImageRecords.LayerBlob> kept = keptBlob(diffId);
        if (kept.isPresent()) {
            // The blob came with another image (another parent): unpack it from here, fetch nothing.
            try (InputStream in = LayerTars.open(store, diffId, kept.get())) {
                store.layers.applyUnordered(parent, new BufferedInputStream(in, BUFFER), diffId, () -> { });
            }
            return;
        }
        slots.acquire();
        try {
            if (failed) {
                throw new UnavailableException("layer " + diffId + " not fetched: another layer of the image failed");
            }
            Digest expected = source.digest() == null ? null : Digest.parse(source.digest());
            InputStream raw = source.opener().open();
            open.add(raw);
            try (raw; ContentStore.Writer blob = store.content.writer()) {
                BufferedInputStream buffered = new BufferedInputStream(raw, BUFFER);
                Compression compression = Compression.detect(buffered);
                TeeInputStream tee = new TeeInputStream(buffered, blob.out(), n -> { });
                store.layers.applyUnordered(parent, tee, diffId, () -> {
                    tee.transferTo(OutputStream.nullOutputStream()); // bytes after the compressed stream's end
                    Digest digest = blob.commit(expected, expected == null ? -1 : source.size());
                    lease.add(digest);
                    keep(diffId, digest, compression);
                });
                progress.update(source.progressId(), "Extracting", blob.written(), blob.written());
            } catch (IOException e) {
                if (failed) {
                    throw new UnavailableException("layer " + diffId + " not fetched: another layer of the image failed");
                }
                throw e;
            } finally {
                open.remove(raw);
            }
        } finally {
            slots.release();
        }
    }

    /** Records the blob that holds the layer's tar, unless the layer is kept already (then drops this copy). */
    private void keep(Digest diffId, Digest digest, Compression compression) throws IOException {
        synchronized (store.lock) {
            Optional<ImageRecords.LayerBlob> existing = store.records.layerBlob(diffId);
            if (existing.isPresent() && store.content.exists(existing.get().blob()) && !existing.get().isRegenerated()) {
                if (!existing.get().blob().equals(digest)) {
                    store.content.delete(digest);
                }
            } else {
                store.records.putLayerBlob(diffId, new ImageRecords.LayerBlob(digest, compression.mediaType()));
            }
        }
    }
}

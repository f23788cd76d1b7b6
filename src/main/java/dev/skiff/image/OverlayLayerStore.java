package dev.skiff.image;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.Json;
import dev.skiff.sys.TreeSync;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Layers for overlayfs: {@code <root>/layers/<chainID hex>/diff} holds the files, {@code layer.json} beside it
 * the diffID, parent and sizes. A layer is unpacked into {@code .tmp-*} next to the final directory and
 * renamed into place whole; temp directories a crash left behind are deleted when the store opens.
 */
public final class OverlayLayerStore implements LayerStore {
    private static final String TEMP_PREFIX = ".tmp-";
    private final Path layers;
    /** Layers deleted but whose files are not yet removed ({@link #purge}). */
    private final java.util.Queue<Path> toPurge = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.atomic.AtomicLong deletions = new java.util.concurrent.atomic.AtomicLong();

    public OverlayLayerStore(Path root) throws IOException {
        this.layers = root.resolve("layers");
        Files.createDirectories(layers);
        try (Stream<Path> entries = Files.list(layers)) {
            for (Path p : entries.toList()) {
                if (p.getFileName().toString().startsWith(TEMP_PREFIX)) {
                    LayerUnpacker.deleteTree(p);
                }
            }
        }
    }

    @Override
    public Layer apply(Digest parent, InputStream layerTar, Digest expectedDiffId) throws IOException {
        if (parent != null && !exists(parent)) {
            throw new NotFoundException("parent layer " + parent + " is not in the layer store");
        }
        return unpack(parent, layerTar, expectedDiffId, () -> { }, false);
    }

    @Override
    public Layer applyUnordered(Digest parent, InputStream layerTar, Digest expectedDiffId, BeforeVisible beforeVisible)
            throws IOException {
        return unpack(parent, layerTar, expectedDiffId, beforeVisible, false);
    }

    @Override
    public Layer applyVerified(Digest parent, InputStream plainTar, Digest diffId, BeforeVisible beforeVisible)
            throws IOException {
        return unpack(parent, plainTar, diffId, beforeVisible, true);
    }

    /** @param verified the tar is known to hash to {@code expectedDiffId} and is not hashed again */
    private Layer unpack(Digest parent, InputStream layerTar, Digest expectedDiffId, BeforeVisible beforeVisible,
                         boolean verified) throws IOException {
        if (expectedDiffId != null) {
            Optional<Layer> present = get(LayerStore.chainId(parent, expectedDiffId));
            if (present.isPresent()) {
                beforeVisible.run();
                return present.get();
            }
        }
        Path tmp = Files.createTempDirectory(layers, TEMP_PREFIX);
        try {
            Path diff = Files.createDirectory(tmp.resolve("diff"));
            MessageDigest sha = verified ? null : Digest.newSha256();
            CountingInputStream counted = new CountingInputStream(verified ? layerTar : Compression.decompress(layerTar));
            long size;
            try (InputStream tar = verified ? counted : new DigestInputStream(counted, sha)) {
                size = LayerUnpacker.unpack(tar, diff);
                // The diffID covers the whole stream, the end-of-archive blocks and any padding included.
                tar.transferTo(java.io.OutputStream.nullOutputStream());
            }
            Digest diffId = verified ? expectedDiffId : Digest.of(sha);
            if (expectedDiffId != null && !expectedDiffId.equals(diffId)) {
                throw new InvalidArgumentException("layer " + expectedDiffId + " failed verification: its tar hashes to "
                        + diffId + " (the archive is corrupt)");
            }
            Layer layer = new Layer(LayerStore.chainId(parent, diffId), diffId, parent, size, counted.count());
            beforeVisible.run();
            TreeSync.sync(diff); // the files themselves, before the rename makes the layer visible
            AtomicFiles.write(tmp.resolve("layer.json"), Json.COMPACT.writeValueAsBytes(Meta.of(layer)));
            return moveIntoPlace(tmp, layer);
        } finally {
            if (Files.exists(tmp)) {
                LayerUnpacker.deleteTree(tmp);
            }
        }
    }

    @Override
    public Layer adopt(Digest parent, Path dir, Digest diffId, long tarSize) throws IOException {
        if (parent != null && !exists(parent)) {
            throw new NotFoundException("parent layer " + parent + " is not in the layer store");
        }
        Digest chainId = LayerStore.chainId(parent, diffId);
        Optional<Layer> present = get(chainId);
        if (present.isPresent()) {
            return present.get();
        }
        Path tmp = Files.createTempDirectory(layers, TEMP_PREFIX);
        try {
            Path diff = tmp.resolve("diff");
            Files.move(dir, diff, StandardCopyOption.ATOMIC_MOVE);
            Layer layer = new Layer(chainId, diffId, parent, contentSize(diff), tarSize);
            TreeSync.sync(diff);
            AtomicFiles.write(tmp.resolve("layer.json"), Json.COMPACT.writeValueAsBytes(Meta.of(layer)));
            return moveIntoPlace(tmp, layer);
        } finally {
            if (Files.exists(tmp)) {
                LayerUnpacker.deleteTree(tmp);
            }
        }
    }

    /**
     * A layer's size as dockerd's directory.Size counts it: every file, link and device by its st_size, each inode
     * once (hardlinks), directories not at all.
     */
    static long contentSize(Path dir) throws IOException {
        java.util.Set<Object> seen = new java.util.HashSet<>();
        long[] size = {0};
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                if (a.size() > 0 && (a.fileKey() == null || seen.add(a.fileKey()))) {
                    size[0] += a.size();
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }
        });
        return size[0];
    }

    private synchronized Layer moveIntoPlace(Path tmp, Layer layer) throws IOException {
        Optional<Layer> existing = get(layer.chainId());
        if (existing.isPresent()) {
            return existing.get(); // unpacked meanwhile by someone else: keep theirs, drop ours
        }
        Files.move(tmp, dir(layer.chainId()), StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.fsyncDirectory(layers);
        return layer;
    }

    @Override
    public Optional<Layer> get(Digest chainId) {
        try {
            Meta meta = Json.MAPPER.readValue(dir(chainId).resolve("layer.json").toFile(), Meta.class);
            return Optional.of(meta.toLayer(chainId));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("layer " + chainId + " has unreadable metadata: " + e.getMessage(), e);
        }
    }

    /**
     * Every inode under diff/ (diff itself included: a file removed changes only its directory) must have changed
     * last before layer.json was written, which is after the directory was moved into place. Change times tick
     * coarsely (a few ms), so a change within that tick of the commit passes here: this is the early, friendly
     * check; the hash verified while the tar streams is the guarantee.
     */
    @Override
    public boolean unchangedSinceStored(Digest chainId) throws IOException {
        FileTime stored = Files.getLastModifiedTime(dir(chainId).resolve("layer.json"));
        try (Stream<Path> walk = Files.walk(diffDir(chainId))) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (((FileTime) Files.getAttribute(p, "unix:ctime", LinkOption.NOFOLLOW_LINKS)).compareTo(stored) > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public Path diffDir(Digest chainId) {
        return dir(chainId).resolve("diff");
    }

    @Override
    public List<Layer> list() throws IOException {
        List<Layer> all = new ArrayList<>();
        try (Stream<Path> entries = Files.list(layers)) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.matches("[a-f0-9]{64}")) {
                    get(Digest.sha256Hex(name)).ifPresent(all::add);
                }
            }
        }
        return all;
    }

    @Override
    public synchronized boolean delete(Digest chainId) throws IOException {
        Path dir = dir(chainId);
        if (!Files.exists(dir)) {
            return false;
        }
        // Renamed aside, atomically: a crash mid-delete leaves a temp dir, never a half-present layer, and the
        // chainID is free at once (a pull may bring the layer back before the purge). The counter keeps two
        // deletions of one chainID apart.
        Path doomed = layers.resolve(TEMP_PREFIX + "del-" + chainId.hex() + "-" + deletions.incrementAndGet());
        Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
        toPurge.add(doomed);
        return true;
    }

    @Override
    public void purge() throws IOException {
        IOException first = null;
        for (Path doomed; (doomed = toPurge.poll()) != null; ) {
            try {
                LayerUnpacker.deleteTree(doomed);
            } catch (IOException e) {
                first = first == null ? e : first; // the rest still go; what stays goes when the store opens
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private Path dir(Digest chainId) {
        return layers.resolve(chainId.hex());
    }

    /** layer.json. */
    private record Meta(@JsonProperty("diffId") String diffId, @JsonProperty("parent") String parent,
                        @JsonProperty("size") long size, @JsonProperty("tarSize") long tarSize) {
        static Meta of(Layer l) {
            return new Meta(l.diffId().toString(), l.parent() == null ? null : l.parent().toString(), l.size(), l.tarSize());
        }

        Layer toLayer(Digest chainId) {
            return new Layer(chainId, Digest.parse(diffId), parent == null ? null : Digest.parse(parent), size, tarSize);
        }
    }
}

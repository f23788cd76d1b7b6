package dev.skiff.image;

import dev.skiff.errors.InvalidArgumentException;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * An image archive (docker-archive or OCI layout) read once, because its index (manifest.json, index.json) may
 * come after the layers. Small files (metadata) stay in memory; large ones (layers) are written straight into the
 * content store as they stream by, hashed on the way, so a layer is copied once and hashed once: its blob is what
 * the store keeps, and for an uncompressed layer its digest is the diffID the loader checks.
 *
 * <p>Files are known by name only, never created under their archive names, so an archive cannot reach outside
 * anything; links inside the archive (old docker-archives share layers by symlink) are resolved by name. Blobs
 * this spool added that no image claimed ({@link #claim}) are deleted on {@link #close}.
 */
final class ArchiveSpool implements Closeable {
    /** An archive's manifest.json, index.json or image config: far more than any real one, little enough to parse. */
    private static final long MAX_JSON = 16L << 20;
    /** Files up to this size stay in memory, up to {@link #MAX_IN_MEMORY} in all. */
    private static final long SMALL = 1L << 20;
    private static final long MAX_IN_MEMORY = 32L << 20;
    private static final int PIPE_BUFFER = 256 << 10;

    private final LocalImageService store;
    private final Map<String, byte[]> small = new HashMap<>();
    private final Map<String, Digest> blobs = new HashMap<>();
    private final Map<String, String> links = new HashMap<>();
    private final Set<Digest> created = new HashSet<>();
    private final Set<Digest> claimed = ConcurrentHashMap.newKeySet();
    /** Large files unpacked speculatively while the rest of the archive streams in, by blob. */
    private final Map<Digest, Future<Unpacked>> unpacking = new ConcurrentHashMap<>();
    /** Every unpacking attempt, so close can wait for them and delete what was not taken. */
    private final List<Future<Unpacked>> attempts = new ArrayList<>();
    private long inMemory;

    /**
     * A file of the archive unpacked as a layer tar into a directory beside the layer store, before the archive's
     * index said which layer it is (docker save writes manifest.json last).
     *
     * @param diffId  what the uncompressed tar hashed to
     * @param tarSize its length
     */
    record Unpacked(Path dir, Digest diffId, long tarSize) {
    }

    /** Holds what this spool stored, so another load's clean-up or GC leaves it alone while this load runs. */
    private final Leases.Lease lease;

    private ArchiveSpool(LocalImageService store) {
        this.store = store;
        this.lease = store.leases.open();
    }

    static ArchiveSpool extract(InputStream archive, LocalImageService store) throws IOException {
        ArchiveSpool spool = new ArchiveSpool(store);
        try {
            // `docker save | gzip` is a common way to keep archives; docker load takes it as is.
            TarArchiveInputStream tar = new TarArchiveInputStream(Compression.decompress(archive),
                    StandardCharsets.UTF_8.name());
            boolean any = false;
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                any = true;
                spool.add(e, tar);
            }
            if (!any) {
                throw new InvalidArgumentException("the image archive is empty or not a tar (expected the output of docker save)");
            }
            return spool;
        } catch (IOException | RuntimeException e) {
            spool.close();
            if (e instanceof InvalidArgumentException iae) {
                throw iae;
            }
            if (String.valueOf(e.getMessage()).contains("No space left on device")) {
                // the spool's own write failed, not the archive: nothing wrong with what the client sent
                throw new dev.skiff.errors.UnavailableException("cannot unpack the image archive in the data root: "
                        + e.getMessage(), e);
            }
            throw new InvalidArgumentException("cannot read the image archive: " + e.getMessage()
                    + " (it is truncated or not a tar)", e);
        }
    }

    private void add(TarArchiveEntry e, InputStream data) throws IOException {
        String name = normalize(e.getName());
        if (name.isEmpty() || e.isDirectory()) {
            return;
        }
        if (e.isSymbolicLink()) {
            String parent = name.contains("/") ? name.substring(0, name.lastIndexOf('/')) : "";
            links.put(name, normalize(Path.of(parent).resolve(e.getLinkName()).normalize().toString()));
        } else if (e.isLink()) {
            links.put(name, normalize(e.getLinkName()));
        } else if (e.isFile()) {
            links.remove(name);
            small.remove(name);
            blobs.remove(name);
            if (e.getSize() <= SMALL && inMemory + e.getSize() <= MAX_IN_MEMORY) {
                byte[] bytes = data.readNBytes((int) e.getSize());
                if (bytes.length != e.getSize()) {
                    throw new IOException("entry " + name + " is truncated");
                }
                inMemory += bytes.length;
                small.put(name, bytes);
            } else {
                blobs.put(name, ingestAndUnpack(data, e.getSize(), name));
            }
        }
    }

    private Digest ingest(InputStream data, long size, String name) throws IOException {
        try (ContentStore.Writer w = store.content.writer()) {
            long n = data.transferTo(w.out());
            if (n != size) {
                throw new IOException("entry " + name + " is truncated");
            }
            Digest d = w.commit(null, size);
            lease.add(d);
            synchronized (created) {
                created.add(d);
            }
            return d;
        }
    }

    private static String normalize(String name) {
        String n = name;
        while (n.startsWith("./") || n.startsWith("/")) {
            n = n.substring(n.startsWith("./") ? 2 : 1);
        }
        while (n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n.equals(".") ? "" : n;
    }

    boolean has(String name) {
        String n = resolve(name);
        return small.containsKey(n) || blobs.containsKey(n);
    }

    /** A metadata file's bytes (bounded: a large file here is not metadata). */
    byte[] read(String name) throws IOException {
        String n = resolve(name);
        byte[] b = small.get(n);
        if (b != null) {
            return b;
        }
        Digest d = blobs.get(n);
        if (d == null) {
            throw missing(name);
        }
        if (store.content.size(d) > MAX_JSON) {
            throw new InvalidArgumentException("file " + name + " in the image archive is too large to be metadata");
        }
        try (InputStream in = store.content.open(d)) {
            return in.readAllBytes();
        }
    }

    /**
     * The file as a blob in the content store (a small one is stored now). The blob is deleted on close unless
     * {@link #claim claimed}.
     */
    Digest blob(String name) throws IOException {
        String n = resolve(name);
        synchronized (this) {
            Digest d = blobs.get(n);
            if (d != null) {
                return d;
            }
            byte[] b = small.get(n);
            if (b == null) {
                throw missing(name);
            }
            d = ingest(new ByteArrayInputStream(b), b.length, name);
            blobs.put(n, d);
            return d;
        }
    }

    /**
     * Stores a large file and, on another thread, unpacks it as a layer from the same bytes as they stream by (it is
     * most likely one): the loader adopts the directory if the file turns out to be a layer whose diffID matches. A
     * file that is not a tar just fails there, quietly, and the loader never uses a failed attempt.
     */
    private Digest ingestAndUnpack(InputStream data, long size, String name) throws IOException {
        BlockPipe pipe = new BlockPipe(8, PIPE_BUFFER);
        FutureTask<Unpacked> task = new FutureTask<>(() -> unpack(pipe));
        attempts.add(task);
        Thread.ofPlatform().name("load-unpack").start(task);
        boolean complete = false;
        Digest d;
        try (ContentStore.Writer w = store.content.writer()) {
            byte[] buf = new byte[PIPE_BUFFER];
            long total = 0;
            for (int n; (n = data.readNBytes(buf, 0, buf.length)) > 0; ) {
                w.out().write(buf, 0, n);
                pipe.write(buf, 0, n);
                total += n;
            }
            if (total != size) {
                throw new IOException("entry " + name + " is truncated");
            }
            d = w.commit(null, size);
            lease.add(d);
            synchronized (created) {
                created.add(d);
            }
            complete = true;
        } finally {
            pipe.close(complete);
        }
        unpacking.putIfAbsent(d, task);
        return d;
    }

    private Unpacked unpack(BlockPipe pipe) throws IOException {
        Path dir = Files.createTempDirectory(store.tmpDir(), "unpack-");
        try {
            BufferedInputStream raw = new BufferedInputStream(pipe, 1 << 16);
            Compression compression = Compression.detect(raw);
            MessageDigest sha = compression == Compression.NONE ? null : Digest.newSha256();
            InputStream plain = compression == Compression.NONE ? raw
                    : new DigestInputStream(Compression.decompress(raw), sha);
            CountingInputStream counted = new CountingInputStream(plain);
            Path diff = Files.createDirectory(dir.resolve("diff"));
            LayerUnpacker.unpack(counted, diff);
            counted.transferTo(OutputStream.nullOutputStream()); // the diffID covers the padding too
            return new Unpacked(diff, sha == null ? null : Digest.of(sha), counted.count());
        } catch (IOException | RuntimeException e) {
            LayerUnpacker.deleteTree(dir);
            throw e;
        } finally {
            pipe.abandon(); // whatever is left (bytes after a compressed stream's end) is not needed here
        }
    }

    /**
     * The blob unpacked ahead, once that is done; empty when it was not tried, failed, or was taken already (unpack it
     * from the blob). The caller owns the directory from here on and deletes what it does not move away.
     */
    Optional<Unpacked> takeUnpacked(Digest blob) throws InterruptedException {
        Future<Unpacked> f = unpacking.remove(blob);
        if (f == null) {
            return Optional.empty();
        }
        try {
            Unpacked u = f.get();
            // A plain tar's diffID is its blob's digest, known once it was stored.
            return Optional.of(u.diffId() != null ? u : new Unpacked(u.dir(), blob, u.tarSize()));
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }

    /** The blob is now an image's: keep it. */
    void claim(Digest blob) {
        claimed.add(blob);
    }

    private static InvalidArgumentException missing(String name) {
        return new InvalidArgumentException("the image archive has no file " + name + " (it is incomplete or corrupt)");
    }

    private String resolve(String name) {
        String n = normalize(name);
        for (int depth = 0; depth < 16 && links.containsKey(n); depth++) {
            n = links.get(n);
        }
        return n;
    }

    /** Deletes the blobs this spool added that no image claimed and no layer record or work in progress uses. */
    @Override
    public void close() throws IOException {
        for (Future<Unpacked> f : attempts) {
            try {
                Path dir = f.get().dir().getParent();
                if (Files.exists(dir)) {
                    LayerUnpacker.deleteTree(dir);
                }
            } catch (ExecutionException e) {
                // failed attempts cleaned up after themselves
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        lease.close();
        synchronized (store.lock) {
            Set<Digest> used = new HashSet<>(store.leases.held());
            // a regenerated tar names no blob: a file with its digest is this load's own copy
            store.records.layerBlobs().values().stream().filter(b -> !b.isRegenerated()).forEach(b -> used.add(b.blob()));
            synchronized (created) {
                for (Digest d : created) {
                    if (!claimed.contains(d) && !used.contains(d)) {
                        store.content.delete(d);
                    }
                }
                created.clear();
            }
        }
    }
}

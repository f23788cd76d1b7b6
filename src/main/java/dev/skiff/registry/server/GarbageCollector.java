package dev.skiff.registry.server;

import dev.skiff.image.Digest;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.Lock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mark and sweep while the registry keeps serving. Mark: every manifest every repository holds, and the
 * blobs and manifests each references. Sweep: a blob nobody marked is deleted only if it was last touched
 * (written, linked, mounted or referenced by a pushed manifest) before the collection started minus the
 * grace period, re-checked under the storage's exclusive lock. The start is taken under that lock too, so
 * every push either finished before it (and the mark sees its manifest) or touches what it uses after it
 * (and those blobs stay). The grace period protects blobs uploaded before a collection whose manifest is
 * pushed after it; without one, such a manifest push is refused as MANIFEST_BLOB_UNKNOWN, never stored broken.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    /** What one collection did. */
    public record Result(int manifests, int blobsKept, int blobsDeleted, long bytesFreed, int linksRemoved, boolean dryRun) {
    }

    private final RegistryStorage storage;
    private final UploadSessions uploads;
    private final Object oneAtATime = new Object();

    public GarbageCollector(RegistryStorage storage, UploadSessions uploads) {
        this.storage = storage;
        this.uploads = uploads;
    }

    public Result run(Duration grace, boolean dryRun) throws IOException {
        synchronized (oneAtATime) {
            // Taken under the exclusive lock: every mutation either finished before (and the mark below sees
            // it) or starts after, touching what it uses at a time no earlier than this.
            Instant started;
            Lock exclusive = storage.mutations().writeLock();
            exclusive.lock();
            try {
                started = Instant.now();
            } finally {
                exclusive.unlock();
            }
            Instant cutoff = started.minus(grace);
            Set<String> marked = new HashSet<>();
            int manifests = 0;
            for (String repo : storage.repositories()) {
                for (Digest rev : storage.revisions(repo)) {
                    Mark m = mark(repo, rev, marked);
                    manifests += m == Mark.COUNTED ? 1 : 0;
                }
            }
            int kept = 0;
            int deleted = 0;
            long freed = 0;
            Path blobs = storage.root().resolve("blobs").resolve("sha256");
            for (Path f : files(blobs, 2)) {
                String hex = f.getFileName().toString();
                if (marked.contains(hex)) {
                    kept++;
                    continue;
                }
                long size = sweep(f, cutoff, dryRun);
                if (size >= 0) {
                    deleted++;
                    freed += size;
                } else {
                    kept++;
                }
            }
            int links = dryRun ? 0 : removeDanglingLinks();
            if (uploads != null && !dryRun) {
                uploads.reapIdle(grace.compareTo(Duration.ofMinutes(10)) > 0 ? grace : Duration.ofMinutes(10));
            }
            Result r = new Result(manifests, kept, deleted, freed, links, dryRun);
            LOG.info("garbage collection{}: {} manifests, {} blobs kept, {} deleted ({} bytes), {} dangling links removed",
                    dryRun ? " (dry run)" : "", manifests, kept, deleted, freed, links);
            return r;
        }
    }

    private enum Mark { COUNTED, MISSING }

    private Mark mark(String repo, Digest rev, Set<String> marked) throws IOException {
        marked.add(rev.hex());
        var stored = storage.manifest(repo, rev.toString());
        if (stored.isEmpty()) {
            return Mark.MISSING;
        }
        try {
            ManifestInfo info = ManifestInfo.parse(Files.readAllBytes(stored.get().path()), stored.get().mediaType());
            info.blobs().forEach(b -> marked.add(b.digest().hex()));
            info.children().forEach(c -> marked.add(c.digest().hex()));
        } catch (RegistryException | NoSuchFileException unreadable) {
            LOG.warn("garbage collection: manifest {} in {} is unreadable; its blobs are not protected by it", rev, repo);
        }
        return Mark.COUNTED;
    }

    /** Deletes an unmarked blob (or a stale temp file) untouched since {@code cutoff}; its size, or -1 if kept. */
    private long sweep(Path f, Instant cutoff, boolean dryRun) throws IOException {
        Lock exclusive = storage.mutations().writeLock();
        exclusive.lock();
        try {
            Instant touched = Files.getLastModifiedTime(f).toInstant();
            if (!touched.isBefore(cutoff)) {
                return -1;
            }
            long size = Files.size(f);
            if (!dryRun) {
                Files.delete(f);
            }
            return size;
        } catch (NoSuchFileException gone) {
            return -1;
        } finally {
            exclusive.unlock();
        }
    }

    /** Repository links to blobs that are no longer stored; removed under the exclusive lock so a relink cannot race. */
    private int removeDanglingLinks() throws IOException {
        int n = 0;
        Lock exclusive = storage.mutations().writeLock();
        for (String repo : storage.repositories()) {
            Path layers = storage.root().resolve("repositories").resolve(repo).resolve("_layers").resolve("sha256");
            for (Path link : files(layers, 1)) {
                String hex = link.getFileName().toString();
                if (!Digest.isDigest("sha256:" + hex)) {
                    continue;
                }
                exclusive.lock();
                try {
                    if (!storage.blobStored(Digest.sha256Hex(hex)) && Files.deleteIfExists(link)) {
                        n++;
                    }
                } finally {
                    exclusive.unlock();
                }
            }
        }
        return n;
    }

    /**
     * The regular files down to {@code depth} levels under {@code dir} (symlinks not followed). Entries that go
     * while it looks are skipped: pushes beside a GC make and rename temporary files (Files.walk failed on them).
     */
    static List<Path> files(Path dir, int depth) throws IOException {
        List<Path> out = new ArrayList<>();
        collectFiles(dir, depth, out);
        return out;
    }

    private static void collectFiles(Path dir, int depth, List<Path> out) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                BasicFileAttributes a;
                try {
                    a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException gone) {
                    continue;
                }
                if (a.isRegularFile()) {
                    out.add(p);
                } else if (a.isDirectory() && depth > 1) {
                    collectFiles(p, depth - 1, out);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException gone) {
            // no such directory (yet, or any more): nothing in it
        }
    }
}

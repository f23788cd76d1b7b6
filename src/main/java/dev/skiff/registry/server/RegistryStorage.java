package dev.skiff.registry.server;

import dev.skiff.image.Digest;
import dev.skiff.sys.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The registry's files under one root. Blobs are stored once, by digest, whichever repositories hold them;
 * a repository holds a blob or manifest through an empty link file, so deleting it from one repository
 * leaves the others alone and garbage collection decides when the bytes go.
 *
 * <pre>
 *   blobs/sha256/ab/abcd...                          the bytes (layers, configs, manifests), verified
 *   repositories/NAME/_layers/sha256/abcd...         NAME holds blob abcd...
 *   repositories/NAME/_manifests/revisions/sha256/abcd...   NAME holds manifest abcd...; content: its media type
 *   repositories/NAME/_manifests/tags/TAG            content: the digest TAG points to
 *   repositories/NAME/_referrers/sha256/SUBJECT/sha256/abcd...   manifest abcd... has subject SUBJECT
 *   uploads/UUID                                     upload sessions in progress (removed at start)
 * </pre>
 *
 * Every change that makes content visible runs under the shared side of {@link #mutations()}, and touches
 * the blobs it relies on; the garbage collector deletes a blob only under the exclusive side after
 * re-checking that nothing touched it since collection began, so a concurrent push never loses a blob.
 */
public final class RegistryStorage {
    private final Path root;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public RegistryStorage(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        Files.createDirectories(this.root.resolve("blobs"));
        Files.createDirectories(this.root.resolve("repositories"));
        Files.createDirectories(this.root.resolve("uploads"));
    }

    public Path root() {
        return root;
    }

    Path uploadsDir() {
        return root.resolve("uploads");
    }

    /** Shared by every mutation; the garbage collector's sweep takes the exclusive side. */
    ReentrantReadWriteLock mutations() {
        return lock;
    }

    public Path blobPath(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm()).resolve(d.hex().substring(0, 2)).resolve(d.hex());
    }

    private Path repo(String name) {
        return root.resolve("repositories").resolve(RepositoryName.require(name));
    }

    private Path layerLink(String name, Digest d) {
        return repo(name).resolve("_layers").resolve(d.algorithm()).resolve(d.hex());
    }

    private Path revision(String name, Digest d) {
        return repo(name).resolve("_manifests").resolve("revisions").resolve(d.algorithm()).resolve(d.hex());
    }

    private Path tagFile(String name, String tag) {
        return repo(name).resolve("_manifests").resolve("tags").resolve(tag);
    }

    private Path referrersDir(String name, Digest subject) {
        return repo(name).resolve("_referrers").resolve(subject.algorithm()).resolve(subject.hex());
    }

    public boolean repositoryExists(String name) {
        return Files.isDirectory(repo(name));
    }

    /** The size of blob {@code d} if repository {@code name} holds it. */
    public Optional<Long> blobSize(String name, Digest d) {
        if (!Files.exists(layerLink(name, d))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.size(blobPath(d)));
        } catch (NoSuchFileException swept) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the blob store has {@code d}, in any repository. */
    public boolean blobStored(Digest d) {
        return Files.isRegularFile(blobPath(d));
    }

    /** Makes {@code d} part of {@code name} (a mount, or the end of an upload); false if no such blob is stored. */
    public boolean linkBlob(String name, Digest d) throws IOException {
        Lock shared = lock.readLock();
        shared.lock();
        try {
            if (!touch(blobPath(d))) {
                return false;
            }
            writeLink(layerLink(name, d), new byte[0]);
            return true;
        } finally {
            shared.unlock();
        }
    }

    /**
     * Moves a verified upload into the blob store (or drops it when the blob is already there) and links it
     * into {@code name}. The caller has checked the file's digest and synced it.
     */
    public void commitBlob(String name, Digest d, Path verifiedFile) throws IOException {
        Lock shared = lock.readLock();
        shared.lock();
        try {
            Path target = blobPath(d);
            if (touch(target)) {
                Files.deleteIfExists(verifiedFile);
            } else {
                Files.createDirectories(target.getParent());
                AtomicFiles.moveIntoPlace(verifiedFile, target);
                touch(target); // the kernel's coarse write time may predate a collection that began meanwhile
            }
            writeLink(layerLink(name, d), new byte[0]);
        } finally {
            shared.unlock();
        }
    }

    /** Removes blob {@code d} from repository {@code name}; false if it did not hold it. */
    public boolean unlinkBlob(String name, Digest d) throws IOException {
        return Files.deleteIfExists(layerLink(name, d));
    }

    /** A manifest a repository holds: where its bytes are and how to serve them. */
    public record StoredManifest(Digest digest, String mediaType, Path path, long size) {
    }

    /** The manifest {@code reference} (a tag or a digest) names in {@code name}. */
    public Optional<StoredManifest> manifest(String name, String reference) throws IOException {
        Digest d;
        if (Digest.isDigest(reference)) {
            d = Digest.parse(reference);
        } else {
            Optional<Digest> tagged = tag(name, reference);
            if (tagged.isEmpty()) {
                return Optional.empty();
            }
            d = tagged.get();
        }
        Path rev = revision(name, d);
        try {
            String mediaType = Files.readString(rev, StandardCharsets.UTF_8).strip();
            Path blob = blobPath(d);
            return Optional.of(new StoredManifest(d, mediaType, blob, Files.size(blob)));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
    }

    public Optional<Digest> tag(String name, String tag) throws IOException {
        if (!RepositoryName.isTag(tag)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Digest.parse(Files.readString(tagFile(name, tag), StandardCharsets.UTF_8).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /**
     * Stores a manifest whose digest the caller computed from {@code bytes}, after checking that every blob
     * and child manifest it references is in the repository (MANIFEST_BLOB_UNKNOWN otherwise; nothing is
     * written then), and points {@code tags} at it.
     */
    public void putManifest(String name, Digest digest, byte[] bytes, ManifestInfo info, List<String> tags) throws IOException {
        putManifest(name, digest, bytes, info, tags, true);
    }

    /**
     * As {@link #putManifest(String, Digest, byte[], ManifestInfo, List)}; a pull-through cache stores an
     * upstream's manifest before the blobs it references, which arrive when first asked for, so it skips the check.
     */
    void putManifest(String name, Digest digest, byte[] bytes, ManifestInfo info, List<String> tags,
                     boolean checkReferences) throws IOException {
        Lock shared = lock.readLock();
        shared.lock();
        try {
            List<String> missing = new ArrayList<>();
            if (checkReferences) {
                checkReferences(name, info, missing);
            }
            if (!missing.isEmpty()) {
                throw new RegistryException(ErrorCode.MANIFEST_BLOB_UNKNOWN, ErrorCode.MANIFEST_BLOB_UNKNOWN.status(),
                        "manifest references content not in repository " + name + ": " + String.join(", ", missing)
                                + " (push those blobs or manifests first)", java.util.Map.of("missing", missing));
            }
            Path blob = blobPath(digest);
            if (!touch(blob)) {
                AtomicFiles.write(blob, bytes);
                touch(blob);
            }
            writeLink(revision(name, digest), info.mediaType().getBytes(StandardCharsets.UTF_8));
            if (info.subject().isPresent()) {
                writeLink(referrersDir(name, info.subject().get()).resolve(digest.algorithm()).resolve(digest.hex()), new byte[0]);
            }
            for (String t : tags) {
                AtomicFiles.write(tagFile(name, t), digest.toString().getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            shared.unlock();
        }
    }

    private void checkReferences(String name, ManifestInfo info, List<String> missing) throws IOException {
        for (ManifestInfo.Ref b : info.blobs()) {
            if (!Files.exists(layerLink(name, b.digest())) || !touch(blobPath(b.digest()))) {
                missing.add(b.digest().toString());
            } else if (Files.size(blobPath(b.digest())) != b.size()) {
                throw new RegistryException(ErrorCode.SIZE_INVALID, "the manifest gives blob " + b.digest() + " size "
                        + b.size() + " but it has " + Files.size(blobPath(b.digest())) + " bytes (fix the descriptor's size)");
            }
        }
        for (ManifestInfo.Ref c : info.children()) {
            if (!Files.exists(revision(name, c.digest())) || !touch(blobPath(c.digest()))) {
                missing.add(c.digest().toString());
            }
        }
    }

    /** Deletes manifest {@code d} from {@code name} with every tag pointing at it; false if it was not there. */
    public boolean deleteManifest(String name, Digest d) throws IOException {
        Optional<StoredManifest> m = manifest(name, d.toString());
        if (m.isEmpty()) {
            return false;
        }
        for (String t : tags(name)) {
            if (tag(name, t).filter(d::equals).isPresent()) {
                Files.deleteIfExists(tagFile(name, t));
            }
        }
        try {
            ManifestInfo info = ManifestInfo.parse(Files.readAllBytes(m.get().path()), m.get().mediaType());
            if (info.subject().isPresent()) {
                Files.deleteIfExists(referrersDir(name, info.subject().get()).resolve(d.algorithm()).resolve(d.hex()));
            }
        } catch (RegistryException | NoSuchFileException unreadable) {
            // The referrer link is checked against the revisions when listed, so a stale one is harmless.
        }
        return Files.deleteIfExists(revision(name, d));
    }

    /** Deletes one tag, leaving its manifest and the manifest's other tags; false if there was no such tag. */
    public boolean deleteTag(String name, String tag) throws IOException {
        return RepositoryName.isTag(tag) && Files.deleteIfExists(tagFile(name, tag));
    }

    /** The repository's tags in lexical order. */
    public List<String> tags(String name) throws IOException {
        return listNames(repo(name).resolve("_manifests").resolve("tags"), false);
    }

    /** Every manifest digest the repository holds. */
    public List<Digest> revisions(String name) throws IOException {
        return listNames(repo(name).resolve("_manifests").resolve("revisions").resolve("sha256"), false)
                .stream().filter(h -> Digest.isDigest("sha256:" + h)).map(Digest::sha256Hex).toList();
    }

    /** The manifests in {@code name} whose subject is {@code subject} and that are still there. */
    public List<StoredManifest> referrers(String name, Digest subject) throws IOException {
        List<StoredManifest> out = new ArrayList<>();
        for (String hex : listNames(referrersDir(name, subject).resolve("sha256"), false)) {
            if (Digest.isDigest("sha256:" + hex)) {
                manifest(name, "sha256:" + hex).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Every repository name, sorted: directories under repositories/ that hold manifests or blobs. */
    public List<String> repositories() throws IOException {
        List<String> out = new ArrayList<>();
        collectRepositories(root.resolve("repositories"), "", 0, out);
        out.sort(null);
        return out;
    }

    /**
     * Walks the names only. Components starting with '_' (_manifests, _layers, _uploads) hold a repository's
     * data and are never part of a name; a walk into them met the temporary files of pushes running beside a
     * GC, gone by the time it looked at them (NoSuchFileException: the GC failed).
     */
    private static void collectRepositories(Path dir, String prefix, int depth, List<String> out) throws IOException {
        if (depth > RepositoryName.MAX_LENGTH / 2) {
            return;
        }
        for (String n : listNames(dir, true)) {
            if (n.startsWith("_")) {
                continue;
            }
            Path child = dir.resolve(n);
            String name = prefix.isEmpty() ? n : prefix + "/" + n;
            if ((Files.isDirectory(child.resolve("_manifests")) || Files.isDirectory(child.resolve("_layers")))
                    && RepositoryName.isValid(name)) {
                out.add(name);
            }
            collectRepositories(child, name, depth + 1, out);
        }
    }

    private static List<String> listNames(Path dir, boolean dirsOnly) throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".") && (!dirsOnly || Files.isDirectory(p))) {
                    names.add(n);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        names.sort(null);
        return names;
    }

    /**
     * Marks a blob as just used, with the JVM's precise clock (not the kernel's coarse file time, which can
     * lag it by a tick); false if it is not stored.
     */
    private static boolean touch(Path blob) throws IOException {
        try {
            Files.setLastModifiedTime(blob, FileTime.from(Instant.now()));
            return true;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    private static void writeLink(Path link, byte[] content) throws IOException {
        if (content.length == 0) {
            Files.createDirectories(link.getParent());
            try {
                Files.createFile(link);
                AtomicFiles.fsyncDirectory(link.getParent());
            } catch (FileAlreadyExistsException already) {
                // linked before: nothing to do
            }
        } else {
            AtomicFiles.write(link, content);
        }
    }
}

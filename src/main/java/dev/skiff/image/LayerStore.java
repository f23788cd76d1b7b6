package dev.skiff.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Unpacked layers, one directory each, named by chainID and shared by every image that has them.
 *
 * <p>Lifecycle: {@link #apply} unpacks a layer tar beside the store and renames it into place only when
 * complete and verified, so a layer is either fully present or absent. Layers are never unpacked twice:
 * a layer whose chainID is present is reused. Nothing counts references here: the image store knows
 * which chainIDs its images use and calls {@link #gc} with them.
 */
public interface LayerStore {
    /**
     * Unpacks a layer tar (plain, gzip, zstd, bzip2 or xz) on top of {@code parent}.
     *
     * @param parent         the chainID of the layer below, or null for a bottom layer
     * @param expectedDiffId the diffID the uncompressed tar must hash to, or null
     * @throws dev.skiff.errors.InvalidArgumentException for an unsafe entry or a diffID mismatch; nothing is kept
     */
    Layer apply(Digest parent, InputStream layerTar, Digest expectedDiffId) throws IOException;

    /**
     * Unpacks one layer of a pull whose layers arrive in parallel: as {@link #apply}, except that the parent may
     * still be arriving (its chainID is known from the config), and {@code beforeVisible} runs once the tar is
     * unpacked and its diffID verified, before the layer becomes visible; a failure there keeps nothing. When the
     * layer is already present, nothing is unpacked but {@code beforeVisible} still runs. The caller records an
     * image only after every one of its layers is present.
     */
    default Layer applyUnordered(Digest parent, InputStream layerTar, Digest expectedDiffId, BeforeVisible beforeVisible)
            throws IOException {
        Layer layer = apply(parent, layerTar, expectedDiffId);
        beforeVisible.run();
        return layer;
    }

    /**
     * As {@link #applyUnordered}, for an uncompressed tar whose bytes the caller has already hashed to {@code diffId}
     * (a load checks each layer file as it stores it): the store does not hash it a second time.
     */
    default Layer applyVerified(Digest parent, InputStream plainTar, Digest diffId, BeforeVisible beforeVisible)
            throws IOException {
        return applyUnordered(parent, plainTar, diffId, beforeVisible);
    }

    /** The last check of {@link #applyUnordered} (the pull verifies and stores the compressed blob there). */
    @FunctionalInterface
    interface BeforeVisible {
        void run() throws IOException;
    }

    /**
     * Takes an already unpacked directory (overlay format: whiteouts as 0/0 character devices) as the layer whose
     * tar hashes to {@code diffId}, moving it into the store; the directory must be on the store's filesystem.
     * When the layer exists already the directory is left where it is. Used for build steps, whose overlay upper
     * directory is the layer.
     *
     * @param tarSize the size of the layer's tar
     */
    default Layer adopt(Digest parent, Path dir, Digest diffId, long tarSize) throws IOException {
        throw new UnsupportedOperationException("adopt is not supported by " + getClass().getSimpleName());
    }

    Optional<Layer> get(Digest chainId);

    /**
     * Whether nothing in the layer's directory changed since the layer was stored, by inode change times (which no
     * one can set): a quick check before its tar is regenerated where a failure part way could not be reported.
     * False when unsure; then the caller hashes the tar to know.
     */
    default boolean unchangedSinceStored(Digest chainId) throws IOException {
        return false;
    }

    default boolean exists(Digest chainId) {
        return get(chainId).isPresent();
    }

    /** The directory holding the layer's files (overlay's lowerdir). */
    Path diffDir(Digest chainId);

    List<Layer> list() throws IOException;

    /**
     * Deletes one layer; false when absent. The layer is gone from the store at once ({@link #get}, {@link #list}
     * and {@link #apply} no longer see it); its files may stay on disk, under another name, until {@link #purge}.
     */
    boolean delete(Digest chainId) throws IOException;

    /**
     * Removes the files of the layers deleted since the last purge. The image store calls it after letting go of
     * its lock, so deleting a big layer's files (up to seconds) does not hold up lookups, creates and builds.
     * Files a crash left behind are removed when the store opens.
     */
    default void purge() throws IOException {
    }

    /** Deletes every layer whose chainID is not in {@code used}; returns the deleted ones. */
    default List<Layer> gc(Set<Digest> used) throws IOException {
        List<Layer> deleted = new ArrayList<>();
        for (Layer layer : list()) {
            if (!used.contains(layer.chainId()) && delete(layer.chainId())) {
                deleted.add(layer);
            }
        }
        return deleted;
    }

    /** chainID(L0) = diffID(L0); chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)). */
    static Digest chainId(Digest parent, Digest diffId) {
        return parent == null ? diffId : Digest.sha256(parent + " " + diffId);
    }

    /** The chainIDs of a stack of diffIDs, bottom first. */
    static List<Digest> chainIds(List<Digest> diffIds) {
        List<Digest> chain = new ArrayList<>(diffIds.size());
        Digest parent = null;
        for (Digest diffId : diffIds) {
            parent = chainId(parent, diffId);
            chain.add(parent);
        }
        return chain;
    }
}

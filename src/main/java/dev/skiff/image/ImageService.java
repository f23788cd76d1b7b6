package dev.skiff.image;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The local image store as the engine and the API see it: images by name or ID, their layers
 * on disk, and the archive formats that move them (rootfs import, docker-archive, OCI layout).
 *
 * <p>Every operation is crash-safe: content is verified against its digest before it becomes
 * visible, and an image record is written only after all its layers are in place.
 */
public interface ImageService {
    /**
     * Finds an image by reference ("busybox", "busybox:1.36", "docker.io/library/busybox@sha256:..."),
     * by full ID ("sha256:abc...") or by a unique ID prefix of at least 1 hex digit.
     *
     * @throws dev.skiff.errors.NotFoundException "No such image: NAME"
     */
    Image resolve(String nameOrId);

    /**
     * {@link #resolve} that hands the image's ID to {@code hold} before any removal can run after the lookup: a
     * container being created from the image counts as its user from then on (its {@link ImageUsers} say so), so a
     * concurrent `rmi -f` keeps the layers its snapshot is made of.
     */
    default Image resolveAndHold(String nameOrId, java.util.function.Consumer<String> hold) {
        Image image = resolve(nameOrId);
        hold.accept(image.id());
        return image;
    }

    /**
     * {@link #findId} that hands the ID to {@code hold} before any removal can run after the lookup (see
     * {@link #resolveAndHold}); empty, and nothing held, when there is no such image.
     */
    default Optional<String> findIdAndHold(String nameOrId, java.util.function.Consumer<String> hold) {
        Optional<String> id = findId(nameOrId);
        id.ifPresent(hold);
        return id;
    }

    Optional<Image> find(String nameOrId);

    /** The ID {@link #find} would give, without reading the image itself (for lists that only compare IDs). */
    default Optional<String> findId(String nameOrId) {
        return find(nameOrId).map(Image::id);
    }

    /** Every image, newest first. */
    List<Image> list();

    /**
     * Lets go of what a forced removal kept for containers ({@code docker rmi -f} of an image stopped containers
     * use deletes the image but not the layers they run on) once {@code users} shows none of them is left.
     */
    default void releaseUnused(ImageUsers users) {
    }

    /**
     * The unpacked layer directories of an image, bottom layer first (overlay wants them reversed).
     * An image with no layers (FROM scratch) gives an empty list.
     */
    List<Path> layerDirs(Image image);

    /** Creates an image from a rootfs tar (plain, gzip, zstd, bzip2, xz), as `docker import`. */
    Image importRootfs(InputStream tar, ImportOptions options, Progress progress);

    /**
     * Loads a docker-archive or OCI image-layout tar (optionally gzip/zstd/bzip2/xz compressed), as `docker load`;
     * returns what it loaded, each image's repoTags holding only the tags the archive carried.
     */
    List<Image> load(InputStream archive, Progress progress);

    /**
     * Stores an image whose parts come from elsewhere (a registry pull): each layer is read only when the
     * store lacks it and is verified against its diffID; the image record is written last.
     *
     * @param config      the config JSON exactly as received (the image ID is its digest)
     * @param layers      one source per rootfs.diff_ids entry, bottom first
     * @param tags        references to point at the image ("busybox:latest")
     * @param repoDigests "name@sha256:..." of the manifest it came as
     */
    default Image addImage(byte[] config, List<LayerSource> layers, List<String> tags, List<String> repoDigests,
                           Progress progress) {
        throw unsupported("addImage");
    }

    /**
     * As {@link #addImage(byte[], List, List, List, Progress)}, fetching up to {@code concurrency} missing layers at
     * once and unpacking each while it arrives. A layer being fetched by another call is waited for, never fetched
     * twice. Progress speaks Docker's pull statuses per layer ("Already exists", "Pulling fs layer", "Waiting",
     * "Extracting", "Pull complete"), the id being {@link LayerSource#progressId()}.
     */
    default Image addImage(byte[] config, List<LayerSource> layers, List<String> tags, List<String> repoDigests,
                           Progress progress, int concurrency) {
        return addImage(config, layers, tags, repoDigests, progress);
    }

    /**
     * Makes sure a layer is kept compressed (gzip) for a push: a layer kept as a plain tar is compressed once, and
     * the compressed blob replaces it, so every later push sends the same bytes under the same digest.
     */
    default StoredLayer compressedLayer(String diffId) {
        throw unsupported("compressedLayer");
    }

    /**
     * For a push that streams: a layer kept as a plain tar, as gzip compressed while it is read (the same bytes
     * {@link #compressedLayer} would keep, and kept the same way once the stream is read to its end); empty when
     * the layer is kept compressed already (then push {@link #compressedLayer} as is).
     */
    default Optional<GzipLayerStream> gzipWhileReading(String diffId) {
        return Optional.empty();
    }

    /** Records that an image is known under "name@sha256:..." (after a push). */
    default void addRepoDigest(String imageId, String repoDigest) {
        throw unsupported("addRepoDigest");
    }

    /** The exact config JSON of an image, whose digest is its ID (for push and save). */
    default byte[] configBytes(String imageId) {
        throw unsupported("configBytes");
    }

    /**
     * How a layer's tar is kept, or empty when the store has no blob for that diffID (a build step's layer has
     * none until its first push: its tar is regenerated from the layer directory).
     */
    default Optional<StoredLayer> storedLayer(String diffId) {
        throw unsupported("storedLayer");
    }

    /**
     * The layers of an image, bottom first, with their sizes.
     *
     * @throws dev.skiff.errors.InternalException when one is missing from the layer store
     */
    default List<Layer> layers(Image image) {
        throw unsupported("layers");
    }

    /** Reads a stored blob by digest ("sha256:..."). */
    default InputStream openBlob(String digest) {
        throw unsupported("openBlob");
    }

    /** For the optional operations above: test fakes need not implement them. */
    private UnsupportedOperationException unsupported(String operation) {
        return new UnsupportedOperationException(operation + " is not supported by " + getClass().getSimpleName());
    }

    /** Writes the named images as one tar that both docker-archive and OCI layout readers accept. */
    void save(List<String> names, OutputStream out);

    /**
     * Makes a new image whose layers are the parent's plus one layer made from {@code diffDir}
     * (an overlay upper directory: overlay whiteouts become OCI whiteouts). Used by commit and build.
     * A null {@code diffDir} adds an empty history entry and no layer.
     */
    Image commit(CommitRequest request);

    /**
     * The first half of {@link #commit} for a request that moves its diff directory (a build step's) or adds no
     * layer: the layer is hashed and flushed and the config made, so the new image's ID is known, and nothing is
     * stored. Until {@link #publish} the diff directory must not change (reading it, as an overlay's lower layer
     * say, is fine) and the parent must stay.
     */
    PreparedCommit prepareCommit(CommitRequest request);

    /**
     * A build step's image made of what the store holds (the classic builder's --cache-from, as dockerd's
     * restoreCachedImage): {@code parentId}'s layers and history, then {@code step}, the history entry of a cache
     * source's matching step, whose layer {@code diffId} (null for an empty_layer step) the store must already hold
     * over the parent's; the config is {@code config}, the build's at that step. Nothing runs, nothing is copied.
     *
     * @throws dev.skiff.errors.NotFoundException when the layer is not in the store over the parent's layers
     */
    default Image commitFromCache(String parentId, ImageConfig.Config config, ImageConfig.History step, String diffId) {
        throw unsupported("commitFromCache");
    }

    /** The second half: moves the prepared layer into the store and records the image. */
    Image publish(PreparedCommit prepared);

    /** Adds a tag ("repo:tag"); replaces the tag's previous target. */
    void tag(String source, String target);

    /**
     * Untags or deletes, as `docker rmi`: returns the "Untagged"/"Deleted" entries.
     *
     * @param users the containers of each image: a running one refuses removal (409) even forced, a stopped one
     *              without force
     */
    List<RemovedEntry> remove(String nameOrId, boolean force, boolean noPrune, ImageUsers users);

    /** Deletes dangling (or, with {@code all}, unused) images; returns entries and bytes reclaimed. */
    PruneResult prune(boolean all, java.util.function.Predicate<Image> filter, ImageUsers users);

    /** The image's history, newest first, as `docker history` shows it. */
    List<HistoryEntry> history(String nameOrId);

    /** When the image was last tagged, or null when unknown (inspect's Metadata.LastTagTime). */
    default java.time.Instant lastTagTime(String imageId) {
        return null;
    }

    /** Listens for image events ("tag", "untag", "delete", "import", "load", "save"). */
    void addListener(ImageEventListener listener);
}

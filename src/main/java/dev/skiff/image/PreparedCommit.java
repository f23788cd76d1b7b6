package dev.skiff.image;

import java.util.List;

/**
 * A commit made in two halves ({@link ImageService#prepareCommit}, then {@link ImageService#publish}): the new
 * layer hashed and the image's config made, so {@link #id()} is final, while nothing is stored yet. The builder
 * hashes one step's layer this way while the next step already runs on top of its directory.
 *
 * @param id           the image ID the publish will record
 * @param parentChains the chainIDs of the parent's layers, bottom first
 * @param diffId       the new layer's diffID, or null when the commit adds no layer
 */
public record PreparedCommit(String id, CommitRequest request, String parentId, List<Reference> tags,
                             List<Digest> parentChains, Digest diffId, long tarSize, byte[] config) {
    /** The chainID of the parent's top layer, or null (no parent, or one without layers). */
    public Digest parentChain() {
        return parentChains.isEmpty() ? null : parentChains.getLast();
    }
}

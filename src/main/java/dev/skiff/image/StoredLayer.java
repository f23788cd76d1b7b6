package dev.skiff.image;

/**
 * How the store keeps a layer's tar (for push): the blob as it arrived or was committed.
 *
 * @param diffId    "sha256:..." of the uncompressed tar
 * @param digest    "sha256:..." of the stored blob (equals diffId when kept uncompressed)
 * @param mediaType the OCI layer media type matching the blob's compression
 * @param size      bytes of the stored blob
 */
public record StoredLayer(String diffId, String digest, String mediaType, long size) {
}

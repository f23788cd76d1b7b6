package dev.skiff.image;

/**
 * An unpacked layer in the layer store.
 *
 * @param chainId the layer's identity with everything below it (OCI image spec, config.md)
 * @param diffId  sha256 of the uncompressed layer tar
 * @param parent  the chainID of the layer below, or null for a bottom layer
 * @param size    bytes of regular files in the layer
 * @param tarSize bytes of the uncompressed layer tar (what save writes)
 */
public record Layer(Digest chainId, Digest diffId, Digest parent, long size, long tarSize) {
}

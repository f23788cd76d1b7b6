package dev.skiff.registry.client;

import java.util.Set;

/** The media types registries serve, Docker's and the OCI's, and what each kind of layer is. */
final class MediaTypes {
    static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    static final String DOCKER_FOREIGN_LAYER = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";

    /** What a pull accepts, most wanted first. */
    static final String ACCEPT = String.join(", ", OCI_INDEX, DOCKER_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    private static final Set<String> LAYERS = Set.of(DOCKER_LAYER, OCI_LAYER, OCI_LAYER + "+gzip", OCI_LAYER + "+zstd",
            "application/vnd.docker.image.rootfs.diff.tar", "application/vnd.docker.image.rootfs.diff.tar.zstd");

    private MediaTypes() {
    }

    static boolean isIndex(String type) {
        return DOCKER_LIST.equals(type) || OCI_INDEX.equals(type);
    }

    static boolean isManifest(String type) {
        return DOCKER_MANIFEST.equals(type) || OCI_MANIFEST.equals(type);
    }

    static boolean isSchema1(String type) {
        return DOCKER_SCHEMA1.equals(type) || DOCKER_SCHEMA1_SIGNED.equals(type);
    }

    /** Foreign (Windows base) and OCI non-distributable layers: their bytes live elsewhere, by licence. */
    static boolean isForeignLayer(String type) {
        return DOCKER_FOREIGN_LAYER.equals(type) || type.startsWith("application/vnd.oci.image.layer.nondistributable.");
    }

    static boolean isLayer(String type) {
        return LAYERS.contains(type);
    }

    /** The Docker schema 2 layer type for a blob kept in the given (OCI) compression. */
    static String dockerLayerType(String ociType) {
        return switch (ociType) {
            case OCI_LAYER -> "application/vnd.docker.image.rootfs.diff.tar";
            case OCI_LAYER + "+zstd" -> "application/vnd.docker.image.rootfs.diff.tar.zstd";
            default -> DOCKER_LAYER;
        };
    }
}

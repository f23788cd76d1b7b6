package dev.skiff.image;

import java.time.Instant;
import java.util.List;

/**
 * An image in the local store.
 *
 * @param id          "sha256:" + the hex digest of the config JSON
 * @param repoTags    normalized "docker.io/library/busybox:latest" form is stored; familiar forms are the API's job
 * @param repoDigests "name@sha256:..." of manifests this image was pulled or pushed as
 * @param size        bytes of all unpacked layers
 * @param config      the parsed image config
 * @param parent      the parent image ID for locally committed or built images, or ""
 */
public record Image(String id, List<String> repoTags, List<String> repoDigests, Instant created, long size,
                    ImageConfig config, String parent) {
}

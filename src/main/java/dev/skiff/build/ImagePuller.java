package dev.skiff.build;

import dev.skiff.errors.NotFoundException;
import dev.skiff.image.Progress;

/**
 * Where a build gets a FROM or COPY --from image that is not in the local store (or every one, with --pull).
 * The daemon implements it with its registry client; the builder only knows that an image can be fetched.
 */
public interface ImagePuller {
    /** A daemon that cannot pull: the image must be loaded or imported first. */
    ImagePuller NONE = (ref, platform, registryConfig, progress) -> {
        throw new NotFoundException("No such image: " + ref + " (this daemon cannot pull images: load or import it)");
    };

    /**
     * Pulls {@code ref} into the local store and returns its image ID.
     *
     * @param platform       "os/arch[/variant]", or "" for the host's
     * @param registryConfig the build's X-Registry-Config header (base64url JSON of credentials by registry),
     *                       or "" when the client sent none
     * @param progress       the pull's progress, as for POST /images/create
     */
    String pull(String ref, String platform, String registryConfig, Progress progress);
}

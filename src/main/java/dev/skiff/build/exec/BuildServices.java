package dev.skiff.build.exec;

import dev.skiff.build.ImagePuller;
import dev.skiff.build.StepNetwork;
import dev.skiff.build.cache.BuildCache;
import dev.skiff.build.copy.CopyEngine;
import dev.skiff.image.ImageService;
import java.nio.file.Path;

/**
 * The builder's long-lived parts, shared by every build.
 *
 * @param stepsDir where each RUN step's private files go (under the exec root, a tmpfs)
 * @param puller   fetches FROM and COPY --from images that are not local
 * @param network  the default bridge for RUN steps on the "default" network ({@code StepNetwork.NONE}: none)
 */
public record BuildServices(ImageService images, BuildCache cache, Snapshots snapshots, CacheMounts cacheMounts,
                            StepRunner runner, CopyEngine copier, Path stepsDir, ImagePuller puller,
                            StepNetwork network) {
    public BuildServices {
        network = network == null ? StepNetwork.NONE : network;
    }
}

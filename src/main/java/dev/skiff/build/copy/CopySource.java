package dev.skiff.build.copy;

import dev.skiff.build.context.DockerIgnore;
import java.nio.file.Path;

/**
 * Where COPY/ADD reads from: the build context (with its .dockerignore) or a stage's or image's rootfs
 * (COPY --from), where nothing is ignored. {@code name} is how errors call it ("build context",
 * "stage build"). Without --chown, files from the context become 0:0 while files from a rootfs keep their
 * owners ({@code keepOwners}), as BuildKit does.
 */
public record CopySource(Path root, DockerIgnore ignore, String name, boolean keepOwners) {
    public static CopySource context(Path root, DockerIgnore ignore) {
        return new CopySource(root, ignore, "build context", false);
    }

    /** Whether this is the build context rather than a stage's or an image's rootfs. */
    public boolean isContext() {
        return !keepOwners;
    }

    public static CopySource rootfs(Path root, String name) {
        return new CopySource(root, DockerIgnore.NONE, name, true);
    }
}

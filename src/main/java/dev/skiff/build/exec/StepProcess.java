package dev.skiff.build.exec;

import dev.skiff.runtime.RuntimeSpec;
import java.util.List;

/**
 * What one RUN step runs: the process and its extra mounts over an already mounted root filesystem.
 *
 * @param rootfs  the mounted overlay merged directory
 * @param network NONE (the default) or HOST
 * @param mounts  RUN --mount mounts plus the /etc files, in OCI terms
 */
public record StepProcess(String id, String rootfs, RuntimeSpec.Process process, RuntimeSpec.NetworkMode network,
                          List<RuntimeSpec.Mount> mounts, RuntimeSpec.Resources resources, long shmSize) {
}

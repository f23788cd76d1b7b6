package dev.skiff.build.exec;

import dev.skiff.runtime.RuntimeSpec;
import java.util.List;

/**
 * What one RUN step runs: the process and its extra mounts over an already mounted root filesystem.
 *
 * @param rootfs  the mounted overlay merged directory
 * @param network NONE, HOST, or PATH: join {@code netns} (the default bridge)
 * @param netns   the network namespace file for PATH, else null
 * @param mounts  RUN --mount mounts plus the /etc files, in OCI terms
 */
public record StepProcess(String id, String rootfs, RuntimeSpec.Process process, RuntimeSpec.NetworkMode network, String netns,
                          List<RuntimeSpec.Mount> mounts, RuntimeSpec.Resources resources, long shmSize,
                          dev.skiff.build.StepSandbox sandbox) {
}

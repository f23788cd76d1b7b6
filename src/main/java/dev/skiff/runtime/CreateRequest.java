package dev.skiff.runtime;

import java.nio.file.Path;

/**
 * What {@link ContainerRuntime#create} needs.
 *
 * @param bundle     the container's bundle directory (config.json is written here)
 * @param logPath    conmon's k8s-file log, or null to keep none (the "none" log driver)
 * @param logMaxSize bytes after which the log rotates; 0 = unlimited
 * @param openStdin  keep a stdin pipe so attach can write to PID 1 (docker run -i)
 */
public record CreateRequest(String id, String name, Path bundle, RuntimeSpec spec, Path logPath, long logMaxSize,
                            boolean openStdin, boolean stdinOnce) {
}

package dev.skiff.engine;

import java.nio.file.Path;

/**
 * Daemon-wide settings of the container engine.
 *
 * @param dataRoot        where containers/ and skiff.db live
 * @param logMaxSize      default log rotation size in bytes when a container sets no max-size (0 = unlimited)
 * @param logMaxFiles     default number of log files kept (current + rotated)
 * @param hostResolvConf  the host's resolv.conf, copied into containers
 * @param containerDefaults what the daemon gives containers that do not say otherwise: ulimits, shm size, init,
 *                          no-new-privileges, namespace modes, the log driver and its options
 */
public record EngineOptions(Path dataRoot, long logMaxSize, int logMaxFiles, Path hostResolvConf,
                            ContainerDefaults containerDefaults) {
    public EngineOptions(Path dataRoot, long logMaxSize, int logMaxFiles, Path hostResolvConf) {
        this(dataRoot, logMaxSize, logMaxFiles, hostResolvConf, ContainerDefaults.NONE);
    }

    public static EngineOptions defaults(Path dataRoot) {
        return new EngineOptions(dataRoot, 10L * 1024 * 1024, 5, Path.of("/etc/resolv.conf"));
    }

    public Path containersDir() {
        return dataRoot.resolve("containers");
    }

    public Path containerDir(String id) {
        return containersDir().resolve(id);
    }
}

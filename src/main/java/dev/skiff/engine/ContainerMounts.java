package dev.skiff.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.runtime.RuntimeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The container engine's view of volumes and mounts (the volume package implements it): mount points are
 * resolved once at create, set up at every start, released when the process is gone, and forgotten with the
 * container. Lifecycle: {@link #create} → ({@link #mount} → {@link #unmount})* → {@link #remove}.
 */
public interface ContainerMounts {
    /**
     * Resolves HostConfig.Binds, Mounts, VolumesFrom, Tmpfs and the merged Config.Volumes into the container's
     * mount points, creating the named and anonymous volumes they need. On failure nothing it made is left.
     */
    void create(String containerId, ObjectNode config, ObjectNode hostConfig);

    /** Readies every mount point (copy-up, driver mounts, bind sources) and returns them for the runtime spec. */
    List<RuntimeSpec.Mount> mount(Container c, Path rootfs);

    /** The container's process is gone: its volumes may be unmounted when nobody else uses them. */
    void unmount(String containerId);

    /** The container is removed; with {@code removeAnonymous} its anonymous volumes go too (rm -v, --rm). */
    void remove(String containerId, boolean removeAnonymous);

    /** At daemon start, after containers were reconciled: {@code running} are the containers with a process. */
    void reconcile(Set<String> running);

    /** Inspect's "Mounts" of a container, as Docker fills them. */
    List<ObjectNode> inspect(Container c);

    /**
     * For docker cp: where a container path lies on a bind or volume, the host directory holding it and the
     * rest of the path inside that directory; null when the path is on the container's own filesystem.
     */
    default MountedPath locate(Container c, String path) {
        return null;
    }

    /** A container path found on a mount: {@code rest} is relative to {@code hostDir} ("" for the mount itself). */
    record MountedPath(Path hostDir, String rest, boolean readOnly) {
    }

    /** No volume service: host binds and tmpfs only, straight from the HostConfig. */
    ContainerMounts HOST_ONLY = new ContainerMounts() {
        @Override
        public void create(String containerId, ObjectNode config, ObjectNode hostConfig) {
        }

        @Override
        public List<RuntimeSpec.Mount> mount(Container c, Path rootfs) {
            List<RuntimeSpec.Mount> out = new ArrayList<>(SpecBuilder.binds(c.hostConfig()));
            out.addAll(SpecBuilder.tmpfs(c.hostConfig()));
            return out;
        }

        @Override
        public void unmount(String containerId) {
        }

        @Override
        public void remove(String containerId, boolean removeAnonymous) {
        }

        @Override
        public void reconcile(Set<String> running) {
        }

        @Override
        public List<ObjectNode> inspect(Container c) {
            return List.of();
        }
    };
}

package dev.skiff.engine.volume;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.skiff.engine.Container;
import dev.skiff.engine.ContainerMounts;
import dev.skiff.engine.SpecBuilder;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.SkiffException;
import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.sys.MountTable;
import dev.skiff.sys.RootPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's mounts backed by the volume service: records a container's {@link MountPoint}s at create (made
 * by {@link MountResolver}), turns them into runtime mounts at every start (copy-up, driver mounts, bind
 * sources, propagation), releases them when the process is gone, and forgets them (rm -v) with the container.
 */
public final class ContainerVolumes implements ContainerMounts {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerVolumes.class);

    private final VolumeService volumes;
    private final VolumeStore store;
    private final Function<String, String> containerIds;
    private final Supplier<Set<String>> allContainers;
    private final Path daemonRoot;

    /**
     * @param containerIds  resolves a container name or ID to its full ID (404 when unknown), for --volumes-from
     * @param allContainers the IDs of every container, to drop mount records a crash left behind
     * @param daemonRoot    the data root, or null: binds over or inside it default to rslave (see MountResolver)
     */
    public ContainerVolumes(VolumeService volumes, Function<String, String> containerIds,
                            Supplier<Set<String>> allContainers, Path daemonRoot) {
        this.volumes = volumes;
        this.store = volumes.store();
        this.containerIds = containerIds;
        this.allContainers = allContainers;
        this.daemonRoot = daemonRoot;
    }

    @Override
    public void create(String containerId, ObjectNode config, ObjectNode hostConfig) {
        synchronized (volumes) {
            List<String> created = new ArrayList<>();
            try {
                Map<String, MountPoint> byDest = new MountResolver(volumes, containerIds, daemonRoot)
                        .resolve(config, hostConfig, created);
                List<MountPoint> list = new ArrayList<>(byDest.values());
                list.sort(Comparator.comparing(MountPoint::destination));
                store.putMounts(containerId, list);
            } catch (SkiffException e) {
                for (String name : created) {
                    VolumeService.quietly(() -> volumes.remove(name, true));
                }
                if (e instanceof NotFoundException) {
                    // a 404 from container create makes the docker CLI think the image is missing and try a pull
                    throw new InvalidArgumentException(e.getMessage());
                }
                throw e;
            }
        }
    }

    @Override
    public List<RuntimeSpec.Mount> mount(Container c, Path rootfs) {
        if (store.mounts(c.id()).isEmpty() && legacy(c)) {
            return HOST_ONLY.mount(c, rootfs);
        }
        List<RuntimeSpec.Mount> out = new ArrayList<>();
        boolean ok = false;
        try {
            for (MountPoint mp : store.mounts(c.id())) {
                out.add(switch (mp.type()) {
                    case "bind" -> bind(mp);
                    case "volume" -> volume(c, mp, rootfs);
                    default -> tmpfs(mp);
                });
            }
            out.addAll(SpecBuilder.tmpfs(c.hostConfig()));
            ok = true;
        } finally {
            if (!ok) {
                unmount(c.id());
            }
        }
        // parents before children: /data must be mounted before /data/cache
        out.sort(Comparator.comparingInt(m -> Path.of(m.destination()).getNameCount()));
        return out;
    }

    /** A container made before the volume service knew it: its binds come straight from the HostConfig. */
    private static boolean legacy(Container c) {
        return !c.hostConfig().path("Binds").isEmpty() || !c.hostConfig().path("Mounts").isEmpty();
    }

    private RuntimeSpec.Mount bind(MountPoint mp) {
        Path source = Path.of(mp.source());
        if (!Files.exists(source)) {
            if (!mp.createSource()) {
                throw new InvalidArgumentException("invalid mount config for type \"bind\": bind source path does not exist: " + source);
            }
            try {
                Files.createDirectories(source); // -v makes a missing host directory, as Docker's does
            } catch (IOException e) {
                throw new InternalException("error while creating mount source path '" + source + "': " + e.getMessage(), e);
            }
        }
        String propagation = mp.propagation();
        try {
            checkPropagation(source, propagation);
        } catch (InvalidArgumentException e) {
            if (!propagation.equals("rslave") || !MountResolver.overDaemonRoot(source, daemonRoot)) {
                throw e;
            }
            // a host whose root mount propagates nothing (no systemd to make it shared): dockerd falls back to the
            // private default here too, rather than refuse a bind its own rule made rslave
            LOG.debug("bind {} falls back to rprivate: {}", source, e.getMessage());
            propagation = "rprivate";
        }
        List<String> opts = new ArrayList<>();
        opts.add(mp.recursive().equals("disabled") ? "bind" : "rbind");
        opts.add(propagation);
        if (!mp.rw()) {
            opts.add(mp.recursive().equals("readonly") ? "rro" : "ro");
        }
        return new RuntimeSpec.Mount(mp.destination(), "bind", source.toString(), opts);
    }

    /** Docker refuses shared/slave propagation when the source's own mount could not propagate anything. */
    private static void checkPropagation(Path source, String propagation) {
        boolean shared = propagation.equals("shared") || propagation.equals("rshared");
        boolean slave = propagation.equals("slave") || propagation.equals("rslave");
        if (!shared && !slave) {
            return;
        }
        MountTable.Entry m = MountTable.containing(source);
        if (m == null) {
            return;
        }
        if (shared && !m.shared()) {
            throw new InvalidArgumentException("path " + source + " is mounted on " + m.mountPoint()
                    + " but it is not a shared mount (make it one: mount --make-shared " + m.mountPoint() + ")");
        }
        if (slave && !m.shared() && !m.slave()) {
            throw new InvalidArgumentException("path " + source + " is mounted on " + m.mountPoint()
                    + " but it is not a shared or slave mount (make it one: mount --make-shared " + m.mountPoint() + ")");
        }
    }

    private RuntimeSpec.Mount volume(Container c, MountPoint mp, Path rootfs) {
        Volume v = volumes.get(mp.name());
        Path data = volumes.mount(v, c.id(), mp);
        try {
            if (mp.copyData() && CopyUp.isEmpty(data)) {
                CopyUp.copy(RootPath.resolve(rootfs, mp.destination(), true), data);
            }
            Path source = data;
            if (!mp.subpath().isEmpty()) {
                source = RootPath.resolve(data, mp.subpath(), true);
                if (!Files.exists(source)) {
                    throw new InvalidArgumentException("cannot access path " + source + ": no such file or directory "
                            + "(volume-subpath " + mp.subpath() + " must exist in volume " + v.name() + ")");
                }
            }
            List<String> opts = new ArrayList<>(List.of("rbind", "rprivate"));
            if (!mp.rw()) {
                opts.add("ro");
            }
            return new RuntimeSpec.Mount(mp.destination(), "bind", source.toString(), opts);
        } catch (IOException e) {
            throw new InternalException("cannot prepare volume " + v.name() + " for " + mp.destination() + ": " + e.getMessage(), e);
        }
    }

    private static RuntimeSpec.Mount tmpfs(MountPoint mp) {
        List<String> opts = new ArrayList<>(List.of("nosuid", "nodev", "noexec"));
        if (!mp.tmpfsData().isEmpty()) {
            opts.addAll(List.of(mp.tmpfsData().split(",")));
        }
        if (!mp.rw() && !opts.contains("ro")) {
            opts.add("ro");
        }
        return new RuntimeSpec.Mount(mp.destination(), "tmpfs", "tmpfs", opts);
    }

    @Override
    public void unmount(String containerId) {
        for (MountPoint mp : store.mounts(containerId)) {
            if (mp.isVolume()) {
                store.get(mp.name()).ifPresent(v -> VolumeService.quietly(() -> volumes.unmount(v, containerId)));
            }
        }
    }

    @Override
    public void remove(String containerId, boolean removeAnonymous) {
        synchronized (volumes) {
            List<MountPoint> mps = store.mounts(containerId);
            unmount(containerId);
            store.deleteMounts(containerId);
            if (!removeAnonymous) {
                return;
            }
            for (MountPoint mp : mps) {
                Volume v = mp.isVolume() ? store.get(mp.name()).orElse(null) : null;
                if (v != null && v.anonymous() && store.users(v.name()).isEmpty()) {
                    VolumeService.quietly(() -> volumes.remove(v.name(), true));
                }
            }
        }
    }

    @Override
    public void reconcile(Set<String> running) {
        synchronized (volumes) {
            Set<String> all = allContainers.get();
            for (String id : store.allMounts().keySet()) {
                if (!all.contains(id)) {
                    LOG.info("dropping the mount records of container {} (it no longer exists)", id.substring(0, Math.min(12, id.length())));
                    store.deleteMounts(id);
                }
            }
            volumes.dropUnknownStorage();
            for (Volume v : store.all()) {
                Set<String> users = new HashSet<>(store.users(v.name()));
                users.retainAll(running);
                try {
                    volumes.reconcile(v, users);
                } catch (SkiffException e) {
                    LOG.warn("reconcile volume {}: {}", v.name(), e.getMessage());
                }
            }
        }
    }

    @Override
    public MountedPath locate(Container c, String path) {
        String norm = Path.of("/").resolve(path).normalize().toString();
        MountPoint best = null;
        for (MountPoint mp : store.mounts(c.id())) {
            String d = mp.destination();
            boolean under = norm.equals(d) || norm.startsWith(d + "/");
            if (under && !mp.type().equals("tmpfs") && (best == null || d.length() > best.destination().length())) {
                best = mp;
            }
        }
        if (best == null) {
            return null;
        }
        String rest = norm.equals(best.destination()) ? "" : norm.substring(best.destination().length() + 1);
        if (path.endsWith("/.")) {
            rest = rest.isEmpty() ? "." : rest + "/.";
        }
        Path host = Path.of(best.source());
        if (best.isVolume()) {
            host = Path.of(volumes.get(best.name()).mountpoint());
            if (!best.subpath().isEmpty()) {
                try {
                    host = RootPath.resolve(host, best.subpath(), true); // a symlink in the volume stays in the volume
                } catch (IOException e) {
                    throw new InternalException("cannot resolve volume-subpath " + best.subpath() + ": " + e.getMessage(), e);
                }
            }
        }
        return new MountedPath(host, rest, !best.rw());
    }

    @Override
    public List<ObjectNode> inspect(Container c) {
        return store.mounts(c.id()).stream().map(MountPoint::toJson).toList();
    }
}

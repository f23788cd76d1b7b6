package dev.skiff.engine;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.image.LayerDiff;
import dev.skiff.runtime.Snapshotter;
import dev.skiff.sys.RootPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docker cp and docker export: reads and writes a container's root filesystem, mounting a stopped container's
 * snapshot for the time of the copy. Paths are resolved as the container sees them ({@link RootPath}).
 */
public final class ArchiveService {
    private final ContainerService containers;
    private final Snapshotter snapshotter;
    private final Map<String, Integer> users = new ConcurrentHashMap<>();

    public ArchiveService(ContainerService containers) {
        this.containers = containers;
        this.snapshotter = containers.snapshotter();
    }

    /** Work on a mounted rootfs. */
    @FunctionalInterface
    public interface RootfsWork<T> {
        T apply(Path root) throws IOException;
    }

    /** Runs {@code work} with the container's rootfs mounted, unmounting afterwards if it was not mounted before. */
    public <T> T withRootfs(String idOrName, RootfsWork<T> work) throws IOException {
        Container c = containers.get(idOrName);
        String id = c.id();
        Path root;
        synchronized (containers.lock(id)) {
            root = snapshotter.mount(id);
            users.merge(id, 1, Integer::sum);
        }
        try {
            return work.apply(root);
        } finally {
            synchronized (containers.lock(id)) {
                Integer left = users.merge(id, -1, (a, b) -> a + b == 0 ? null : a + b);
                Container now = containers.all().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
                if (left == null && now != null && !now.state().hasProcess()) {
                    snapshotter.unmount(id);
                }
            }
        }
    }

    /**
     * Like {@link #withRootfs}, but a path on a volume or bind is worked on in that mount's host directory, and the
     * container's /etc/hostname, /etc/hosts and /etc/resolv.conf are its own files (the ones mounted over the
     * rootfs's empty stubs, as dockerd's cp mounts them before it reads), once it has them.
     */
    private <T> T withPathRoot(String idOrName, String path, PathWork<T> work) throws IOException {
        Container c = containers.get(idOrName);
        ContainerMounts.MountedPath m = containers.mounts().locate(c, path);
        if (m != null) {
            return work.apply(m.hostDir(), "/" + m.rest(), m);
        }
        Path own = etcFiles(c).byContainerPath().get(Path.of("/").resolve(path).normalize().toString());
        if (own != null && Files.isRegularFile(own, LinkOption.NOFOLLOW_LINKS)) {
            String name = own.getFileName().toString();
            return work.apply(own.getParent(), "/" + name, new ContainerMounts.MountedPath(own.getParent(), name,
                    c.hostConfig().path("ReadonlyRootfs").asBoolean(false)));
        }
        return withRootfs(idOrName, root -> work.apply(root, path, null));
    }

    @FunctionalInterface
    private interface PathWork<T> {
        T apply(Path root, String path, ContainerMounts.MountedPath mount) throws IOException;
    }

    /**
     * The container's own /etc files by where they would land in its rootfs: docker cp into /etc/hosts writes the
     * file the container sees, as dockerd's cp does with the network files mounted.
     */
    private Map<Path, Path> mountedEtcFiles(Container c, Path root) throws IOException {
        Map<Path, Path> out = new java.util.HashMap<>();
        for (Map.Entry<String, Path> e : etcFiles(c).byContainerPath().entrySet()) {
            if (Files.isRegularFile(e.getValue(), LinkOption.NOFOLLOW_LINKS)) {
                out.put(RootPath.resolve(root, e.getKey(), false), e.getValue());
            }
        }
        return out;
    }

    /** The files the engine mounts over the rootfs's own at the container's start (see {@link EtcFiles}). */
    private EtcFiles etcFiles(Container c) {
        return EtcFiles.in(containers.options().containerDir(c.id()));
    }

    /** HEAD/GET archive's stat of {@code path} (a final symlink is not followed). */
    public PathStat stat(String idOrName, String path) throws IOException {
        return withPathRoot(idOrName, path, (root, at, m) -> stat(root, at, rootName(m, path), idOrName));
    }

    /** The name a mount's own directory has in the container ("data" for /data); "/" for the rootfs. */
    private static String rootName(ContainerMounts.MountedPath m, String path) {
        if (m == null || !m.rest().isEmpty()) {
            return "/";
        }
        Path name = Path.of(path).normalize().getFileName();
        return name == null ? "/" : name.toString();
    }

    static PathStat stat(Path root, String path) throws IOException {
        return stat(root, path, "/", "");
    }

    /** {@code container}: as the client named it, for dockerd's "Could not find the file /x in container NAME". */
    static PathStat stat(Path root, String path, String rootName, String container) throws IOException {
        Path p = RootPath.resolve(root, path, false);
        if (!RootPath.exists(p)) {
            throw new NotFoundException(("Could not find the file " + path + " in container " + container).strip());
        }
        if ((path.endsWith("/") || path.endsWith("/.")) && !Files.isDirectory(RootPath.resolve(root, path, true))) {
            // "/f/" names a directory, as lstat takes it: a file there is an error (dockerd's words, less its host
            // path), and `docker cp x ctr:/f/` says "no such directory" instead of writing over /f
            throw new InvalidArgumentException("lstat " + path + ": not a directory");
        }
        String link = "";
        if (Files.isSymbolicLink(p)) {
            Path target = RootPath.resolve(root, path, true);
            link = "/" + root.relativize(target);
        }
        String name = p.equals(root) ? rootName : p.getFileName().toString();
        return PathStat.of(p, name, link);
    }

    /** GET archive: the stat, then the tar written by {@code body} once the caller has sent the header. */
    public void get(String idOrName, String path, StatSink sink) throws IOException {
        withPathRoot(idOrName, path, (root, at, m) -> {
            PathStat st = stat(root, at, rootName(m, path), idOrName);
            OutputStream out = sink.begin(st);
            Path p = RootPath.resolve(root, at, false);
            // "dir/." asks for the directory's content, as docker cp src/. does
            String base = path.endsWith("/.") ? "." : p.equals(root) ? rootName(m, path) : p.getFileName().toString();
            LayerDiff.writeTree(p, base.equals("/") ? "" : base, out);
            return null;
        });
        containers.events().publishContainer(containers.get(idOrName), "archive-path", Map.of()); // dockerd's
    }

    /** Receives the stat before the tar is written. */
    @FunctionalInterface
    public interface StatSink {
        OutputStream begin(PathStat stat) throws IOException;
    }

    /** PUT archive: extracts a tar into the directory {@code path}. */
    public void put(String idOrName, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid)
            throws IOException {
        Container c = containers.get(idOrName);
        withPathRoot(idOrName, path, (root, at, m) -> {
            if (m != null ? m.readOnly() : c.hostConfig().path("ReadonlyRootfs").asBoolean(false)) {
                throw new dev.skiff.errors.ForbiddenException(m != null ? "mounted volume is marked read-only"
                        : "container rootfs is marked read-only");
            }
            Path dest = RootPath.resolve(root, at, true);
            if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotFoundException("Could not find the file " + path + " in container " + idOrName);
            }
            if (!Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidArgumentException("extraction point is not a directory: " + path);
            }
            TarExtractor.extract(tar, root, "/" + root.relativize(dest), noOverwriteDirNonDir, copyUidGid,
                    m == null ? mountedEtcFiles(c, root) : Map.of());
            return null;
        });
        containers.events().publishContainer(c, "extract-to-dir", Map.of()); // dockerd's
    }

    /** docker export: the whole rootfs as a tar. */
    public void export(String idOrName, OutputStream out) throws IOException {
        withRootfs(idOrName, root -> {
            LayerDiff.writeTree(root, "", out);
            return null;
        });
        containers.events().publishContainer(containers.get(idOrName), "export", Map.of());
    }
}

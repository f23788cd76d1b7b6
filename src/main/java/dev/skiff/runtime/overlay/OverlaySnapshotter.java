package dev.skiff.runtime.overlay;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.NotFoundException;
import dev.skiff.errors.UnavailableException;
import dev.skiff.runtime.Snapshotter;
import dev.skiff.runtime.unix.Posix;
import dev.skiff.sys.AtomicFiles;
import dev.skiff.sys.FileTrees;
import dev.skiff.sys.MountTable;
import dev.skiff.sys.SyscallException;
import dev.skiff.sys.Syscalls;
import dev.skiff.sys.Trash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Overlayfs snapshots under {@code <root>/containers-snap/<key>/}: {@code upper/} (the container's changes),
 * {@code work/} (overlayfs scratch), {@code merged/} (the mount point) and {@code lowers} (the layer list
 * prepare was given, so mount needs only the key and reconciliation after a crash can mount again). A
 * container's snapshot also lists an init layer ({@link InitLayer}) last in {@code lowers}: one per image, shared
 * by the image's containers ({@link SharedInitLayers}; snapshots made before that have their own {@code init/}).
 * A {@link Writes#DISPOSABLE} snapshot has a {@code volatile} file and is mounted with overlayfs's volatile option.
 */
public final class OverlaySnapshotter implements Snapshotter {
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** mount(2) copies at most one page of option data; longer lowerdir lists need shorter names. */
    private static final int MOUNT_DATA_MAX = 4095;
    private static final String VOLATILE = "volatile";

    private final Path snapshots;
    private final Trash trash;
    private final SharedInitLayers initLayers;

    /**
     * @param root the data root (e.g. /var/lib/skiff); snapshots go to root/containers-snap, removed ones
     *             through root/trash/containers-snap
     */
    public OverlaySnapshotter(Path root) {
        Path r = root.toAbsolutePath().normalize();
        this.snapshots = r.resolve("containers-snap");
        try {
            FileTrees.spreadSubdirectories(snapshots); // a directory per snapshot, made and removed all the time
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + snapshots, e);
        }
        this.trash = new Trash(r.resolve("trash").resolve("containers-snap"));
        this.initLayers = new SharedInitLayers(r.resolve("init-layers"), trash);
        initLayers.open(snapshots);
    }

    @Override
    public void prepare(String key, List<Path> lowerDirs) {
        prepare(key, lowerDirs, false, Writes.DURABLE);
    }

    @Override
    public void prepare(String key, List<Path> lowerDirs, Writes writes) {
        prepare(key, lowerDirs, false, writes);
    }

    @Override
    public void prepareContainer(String key, List<Path> lowerDirs) {
        prepare(key, lowerDirs, true, Writes.DURABLE);
    }

    @Override
    public void prepareContainer(String key, List<Path> lowerDirs, Writes writes) {
        prepare(key, lowerDirs, true, writes);
    }

    private void prepare(String key, List<Path> lowerDirs, boolean initLayer, Writes writes) {
        Path dir = dir(key);
        List<Path> before = lowerDirs(key); // a prepare repeated over an existing snapshot replaces its list
        boolean fresh = !Files.exists(dir);
        Path init = null;
        try {
            Files.createDirectories(dir.resolve("upper"));
            Files.createDirectories(dir.resolve("work"));
            Files.createDirectories(dir.resolve("merged"));
            if (writes == Writes.DISPOSABLE) {
                Files.write(dir.resolve(VOLATILE), new byte[0]);
            } else {
                Files.deleteIfExists(dir.resolve(VOLATILE)); // a prepare repeated with other writes
            }
            StringBuilder lowers = new StringBuilder();
            for (Path p : lowerDirs) {
                if (!Files.isDirectory(p)) {
                    throw new NotFoundException("cannot prepare snapshot " + key + ": layer directory " + p
                            + " does not exist (re-pull the image)");
                }
                lowers.append(p.toAbsolutePath().normalize()).append('\n');
            }
            if (initLayer) {
                init = initLayers.acquire(lowerDirs);
                lowers.append(init).append('\n');
            }
            // written last: the snapshot exists once its layer list does
            AtomicFiles.write(dir.resolve("lowers"), lowers.toString().getBytes(StandardCharsets.UTF_8));
            if (!before.isEmpty()) {
                initLayers.release(before.getLast());
            }
        } catch (IOException | RuntimeException e) {
            if (init != null) {
                releaseQuietly(init);
            }
            if (fresh) { // a half-made snapshot (a full disk, a missing layer) would stay behind, unnamed by anything
                try {
                    dev.skiff.sys.FileTrees.delete(dir);
                } catch (IOException left) {
                    e.addSuppressed(left);
                }
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UnavailableException("cannot prepare snapshot " + key + ": " + e.getMessage(), e);
        }
    }

    private void releaseQuietly(Path init) {
        try {
            initLayers.release(init);
        } catch (IOException e) {
            // an idle layer the trash could not take stays where it is, and is counted again at the next start
        }
    }

    @Override
    public List<Path> lowerDirs(String key) {
        Path lowers = dir(key).resolve("lowers");
        if (!Files.exists(lowers)) {
            return List.of(); // a snapshot not prepared yet (every create asks): no exception built and caught
        }
        try {
            return Files.readAllLines(lowers).stream().filter(l -> !l.isBlank()).map(Path::of).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public Path mount(String key) {
        Path dir = dir(key);
        Path merged = dir.resolve("merged");
        if (isMounted(key)) {
            return merged;
        }
        try {
            if (!Files.exists(dir.resolve("lowers"))) {
                throw new NotFoundException("no such snapshot: " + key + " (prepare it first)");
            }
            List<String> lowers = new ArrayList<>(Files.readAllLines(dir.resolve("lowers")));
            lowers.removeIf(String::isBlank);
            if (lowers.isEmpty()) {
                // A scratch image: overlayfs still needs one lower directory, so give it an empty one.
                Path empty = Files.createDirectories(dir.resolve("empty"));
                lowers.add(empty.toString());
            }
            // prepare lists bottom first; overlayfs wants the top layer first.
            List<String> top = lowers.reversed();
            boolean volatileWrites = Files.exists(dir.resolve(VOLATILE));
            if (volatileWrites) {
                // overlayfs leaves an incompat/volatile directory in its own work dir and refuses to mount over
                // it again (an unclean end would have lost writes); a disposable layer has nothing to lose
                FileTrees.delete(dir.resolve("work").resolve("work").resolve("incompat"));
            }
            try {
                mountOverlay(key, top, dir, merged, volatileWrites);
            } catch (SyscallException e) {
                if (!volatileWrites || e.errno() != Syscalls.EINVAL) {
                    throw e;
                }
                mountOverlay(key, top, dir, merged, false); // a kernel before 5.10 has no volatile option
            }
            return merged;
        } catch (IOException e) {
            throw new UnavailableException("cannot mount snapshot " + key + ": " + e.getMessage(), e);
        }
    }

    private static void mountOverlay(String key, List<String> lowersTopFirst, Path dir, Path merged,
                                     boolean volatileWrites) throws IOException {
        String data = options(lowersTopFirst, dir, volatileWrites);
        if (data.length() <= MOUNT_DATA_MAX) {
            Syscalls.mount("overlay", merged, "overlay", 0, data);
        } else {
            mountThroughFds(key, lowersTopFirst, dir, merged, volatileWrites);
        }
    }

    private static String options(List<String> lowersTopFirst, Path dir, boolean volatileWrites) {
        // index=off: the index feature ties the upper dir to the lower dirs' exact identity (file handles),
        // which breaks re-mounting after layers were copied or the snapshot moved; Docker turns it off too.
        return "lowerdir=" + String.join(":", lowersTopFirst) + ",upperdir=" + dir.resolve("upper")
                + ",workdir=" + dir.resolve("work") + ",index=off" + (volatileWrites ? ",volatile" : "");
    }

    /**
     * Mounts a layer list too long for one page of mount data by naming each layer as /proc/self/fd/N of an
     * O_PATH descriptor we hold during mount(2): overlayfs resolves the names at mount time, so 128 layers
     * take ~2.3 KB whatever their real paths (Docker uses short symlinks, containerd a chdir; a JVM can't chdir).
     */
    private static void mountThroughFds(String key, List<String> lowersTopFirst, Path dir, Path merged,
                                        boolean volatileWrites) throws IOException {
        List<Integer> fds = new ArrayList<>();
        try {
            List<String> names = new ArrayList<>();
            for (String d : lowersTopFirst) {
                int fd = Posix.openPath(d);
                fds.add(fd);
                names.add("/proc/self/fd/" + fd);
            }
            String data = options(names, dir, volatileWrites);
            if (data.length() > MOUNT_DATA_MAX) {
                throw new InvalidArgumentException("snapshot " + key + " has too many layers (" + names.size()
                        + ") for one overlay mount; squash the image");
            }
            Syscalls.mount("overlay", merged, "overlay", 0, data);
        } finally {
            fds.forEach(Posix::close);
        }
    }

    @Override
    public void unmount(String key) {
        Path merged = dir(key).resolve("merged");
        try {
            // Detached, as Docker's overlay2 does: the mount leaves the tree at once and a plain unmount's wait
            // for an RCU grace period (~3 ms here, on every container exit and removal) is skipped; something
            // still using it (a shell cd'ed into it) keeps it alive until it lets go. Asked of the kernel
            // directly: reading the mount table first costs more than the unmount itself once many containers run.
            Syscalls.umount(merged, Syscalls.MNT_DETACH);
        } catch (SyscallException e) {
            if (e.errno() == Syscalls.EINVAL || e.errno() == Syscalls.ENOENT) {
                return; // not mounted (or already gone)
            }
            throw new UnavailableException("cannot unmount snapshot " + key + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UnavailableException("cannot unmount snapshot " + key + ": " + e.getMessage(), e);
        }
    }

    /** Unmounts, then moves the snapshot to the trash: its files are deleted in the background. */
    @Override
    public void remove(String key) {
        unmount(key);
        List<Path> lowers = lowerDirs(key);
        try {
            trash.discard(dir(key));
        } catch (IOException e) {
            throw new UnavailableException("cannot remove snapshot " + key + ": " + e.getMessage(), e);
        }
        if (!lowers.isEmpty()) {
            releaseQuietly(lowers.getLast()); // its init layer, when it is a shared one and this was its last user
        }
    }

    @Override
    public Path upperDir(String key) {
        return dir(key).resolve("upper");
    }

    @Override
    public boolean isMounted(String key) {
        // an overlay has a device number of its own: two stats, where the mount table would be read and parsed
        // (thousands of lines once many containers run)
        Path merged = dir(key).resolve("merged");
        try {
            Object inside = Files.getAttribute(merged, "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Object parent = Files.getAttribute(merged.getParent(), "unix:dev", java.nio.file.LinkOption.NOFOLLOW_LINKS);
            return !inside.equals(parent);
        } catch (IOException e) {
            return MountTable.isMountPoint(merged); // cannot stat (a dead mount): let the table say
        }
    }

    private Path dir(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new InvalidArgumentException("invalid snapshot key: \"" + key + "\"");
        }
        return snapshots.resolve(key);
    }
}

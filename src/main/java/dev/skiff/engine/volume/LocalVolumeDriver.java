package dev.skiff.engine.volume;

import dev.skiff.engine.DiskUsage;
import dev.skiff.errors.ConflictException;
import dev.skiff.errors.InternalException;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.MountTable;
import dev.skiff.sys.Syscalls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker's "local" driver: a volume is the directory {@code <root>/<name>/_data}; with options (type, o, device)
 * the device is mounted there with mount(2) when the first container needs it and unmounted when the last one
 * lets go (tmpfs, NFS, a bind of another directory, a block device).
 */
public final class LocalVolumeDriver implements VolumeDriver {
    private static final Logger LOG = LoggerFactory.getLogger(LocalVolumeDriver.class);

    private final Path root;
    private final Map<String, Set<String>> users = new ConcurrentHashMap<>();

    /** @param root {@code <data-root>/volumes} */
    public LocalVolumeDriver(Path root) {
        this.root = root.toAbsolutePath();
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Path create(String name, Map<String, String> options) {
        VolumeNames.validate(name);
        try {
            LocalMountOptions.validate(options);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("create " + name + ": " + e.getMessage());
        }
        Path data = dataDir(name);
        try {
            if (!Files.isDirectory(root)) {
                Files.createDirectories(root);
                Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx-----x"));
            }
            Files.createDirectories(data);
        } catch (IOException e) {
            throw new InternalException("create " + name + ": cannot make " + data + ": " + e.getMessage(), e);
        }
        return data;
    }

    Path dataDir(String name) {
        return root.resolve(name).resolve("_data");
    }

    @Override
    public synchronized Path mount(Volume volume, String ref) {
        Set<String> holders = users.computeIfAbsent(volume.name(), k -> new HashSet<>());
        Path data = dataDir(volume.name());
        try {
            Files.createDirectories(data); // a crash during remove can leave the record without its directory
        } catch (IOException e) {
            throw new InternalException("cannot make the directory of volume " + volume.name() + ": " + e.getMessage(), e);
        }
        if (LocalMountOptions.needsMount(volume.options()) && !MountTable.isMountPoint(data)) {
            LocalMountOptions m = LocalMountOptions.translate(volume.options(), LocalVolumeDriver::resolve);
            try {
                Syscalls.mount(m.source(), data, m.fstype(), m.flags(), m.data());
                if (m.readOnlyBind()) {
                    Syscalls.mount(null, data, null, Syscalls.MS_REMOUNT | Syscalls.MS_BIND | Syscalls.MS_RDONLY, null);
                }
                if (m.propagation() != 0) {
                    Syscalls.mount(null, data, null, m.propagation(), null);
                }
            } catch (IOException e) {
                String msg = e.getMessage().replaceAll("password=[^,]*", "password=********");
                throw new InternalException("error while mounting volume '" + data + "': failed to mount local volume: mount "
                        + m.source() + ":" + data + ", flags: 0x" + Long.toHexString(m.flags()) + ": " + msg + " (check the volume's type, o and device options: docker volume inspect " + volume.name() + ")", e);
            }
        }
        holders.add(ref);
        return data;
    }

    @Override
    public synchronized void unmount(Volume volume, String ref) {
        Set<String> holders = users.get(volume.name());
        if (holders == null || !holders.remove(ref)) {
            return;
        }
        if (holders.isEmpty()) {
            users.remove(volume.name());
            release(volume);
        }
    }

    private void release(Volume volume) {
        Path data = dataDir(volume.name());
        if (LocalMountOptions.needsMount(volume.options()) && MountTable.isMountPoint(data)) {
            try {
                Syscalls.umount(data, 0);
            } catch (IOException e) {
                LOG.warn("unmounting volume {}: {}; detaching it instead", volume.name(), e.getMessage());
                try {
                    Syscalls.umount(data, Syscalls.MNT_DETACH);
                } catch (IOException e2) {
                    throw new InternalException("cannot unmount volume " + volume.name() + " at " + data + ": " + e2.getMessage(), e2);
                }
            }
        }
    }

    @Override
    public synchronized Set<String> users(Volume volume) {
        return Set.copyOf(users.getOrDefault(volume.name(), Set.of()));
    }

    @Override
    public synchronized void remove(Volume volume) {
        if (!users(volume).isEmpty()) {
            throw new ConflictException("remove " + volume.name() + ": volume is in use");
        }
        release(volume);
        Path dir = root.resolve(volume.name());
        if (MountTable.isMountPoint(dataDir(volume.name()))) {
            throw new ConflictException("remove " + volume.name() + ": its data directory is still a mount point ("
                    + dataDir(volume.name()) + "); unmount it and remove again");
        }
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw new InternalException("remove " + volume.name() + ": cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long size(Volume volume) {
        return DiskUsage.of(dataDir(volume.name()));
    }

    @Override
    public synchronized void reconcile(Volume volume, Set<String> holders) {
        if (holders.isEmpty()) {
            users.remove(volume.name());
            release(volume);
        } else {
            users.put(volume.name(), new HashSet<>(holders));
        }
    }

    @Override
    public synchronized void dropUnknown(Set<String> known) {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var entries = Files.list(root)) {
            for (Path dir : entries.toList()) {
                String name = dir.getFileName().toString();
                Path data = dir.resolve("_data");
                if (!known.contains(name) && !MountTable.isMountPoint(data) && CopyUp.isEmpty(data)) {
                    LOG.info("removing the empty directory of volume {} (no database record)", name);
                    deleteTree(dir);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot tidy {}: {}", root, e.toString());
        }
    }

    private static String resolve(String host) {
        try {
            return InetAddress.getByName(host).getHostAddress();
        } catch (UnknownHostException e) {
            throw new InvalidArgumentException("error resolving passed in network volume address " + host + ": " + e.getMessage());
        }
    }

    static void deleteTree(Path dir) throws IOException {
        dev.skiff.sys.FileTrees.delete(dir);
    }
}

package dev.skiff.build.exec;

import dev.skiff.build.StepNetwork;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A RUN step's private files outside its rootfs, under the builder's exec root (a tmpfs on a normal host, so
 * secrets never touch a disk): resolv.conf, hosts, hostname, secrets, a heredoc script. Deleted with the step.
 */
final class StepFiles implements AutoCloseable {
    private static final Path HOST_RESOLV = Path.of("/etc/resolv.conf");
    private static final Path HOST_HOSTS = Path.of("/etc/hosts");

    private final Path dir;

    private StepFiles(Path dir) {
        this.dir = dir;
    }

    /**
     * @param hostNetwork the step shares the host's network: the host's /etc/hosts, as Docker does
     * @param bridge      the default bridge namespace the step joined (its address and resolv.conf), or null
     */
    static StepFiles create(Path parent, String id, String hostname, boolean hostNetwork, StepNetwork.Joined bridge,
                            List<String> extraHosts) throws IOException {
        Path dir = parent.resolve(id);
        Files.createDirectories(dir, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE)));
        StepFiles f = new StepFiles(dir);
        byte[] resolv = bridge != null ? bridge.resolvConf().getBytes(StandardCharsets.UTF_8)
                : Files.isReadable(HOST_RESOLV) ? Files.readAllBytes(HOST_RESOLV) : new byte[0];
        Files.write(f.resolvConf(), resolv);
        StringBuilder hosts = new StringBuilder();
        if (hostNetwork && Files.isReadable(HOST_HOSTS)) {
            hosts.append(Files.readString(HOST_HOSTS, StandardCharsets.UTF_8));
            if (hosts.length() > 0 && hosts.charAt(hosts.length() - 1) != '\n') {
                hosts.append('\n');
            }
        } else {
            hosts.append("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n")
                    .append(bridge != null ? bridge.address() : "127.0.1.1").append('\t').append(hostname).append('\n');
        }
        for (String h : extraHosts) {
            int colon = h.indexOf(':');
            if (colon > 0) {
                hosts.append(h.substring(colon + 1)).append('\t').append(h, 0, colon).append('\n');
            }
        }
        Files.writeString(f.hosts(), hosts.toString(), StandardCharsets.UTF_8);
        Files.writeString(f.hostname(), hostname + "\n", StandardCharsets.UTF_8);
        // 0644 whatever the daemon's umask: a step running as another USER reads them too
        for (Path p : List.of(f.resolvConf(), f.hosts(), f.hostname())) {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        return f;
    }

    Path dir() {
        return dir;
    }

    Path resolvConf() {
        return dir.resolve("resolv.conf");
    }

    Path hosts() {
        return dir.resolve("hosts");
    }

    Path hostname() {
        return dir.resolve("hostname");
    }

    /** Writes a secret readable as {@code mode} by {@code uid}:{@code gid} (root when null). */
    Path secret(String id, byte[] data, int mode, Long uid, Long gid) throws IOException {
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Path file = secrets.resolve(CacheMounts.key(id));
        Files.write(file, data);
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                perms.add(all[i]);
            }
        }
        Files.setPosixFilePermissions(file, perms);
        if (uid != null || gid != null) {
            Files.setAttribute(file, "unix:uid", uid == null ? 0 : uid.intValue());
            Files.setAttribute(file, "unix:gid", gid == null ? 0 : gid.intValue());
        }
        return file;
    }

    @Override
    public void close() {
        Trees.delete(dir);
    }
}

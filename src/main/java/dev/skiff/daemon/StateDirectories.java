package dev.skiff.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Who may look into the daemon's state. Containers' configs and process files hold their environments (passwords
 * passed with -e), their logs hold what they print, and container IDs are no secret (every host user sees them in
 * conmon's command line): so no one but root reads the data root (0710, as dockerd's /var/lib/docker) or what is
 * under the exec root (each directory in it 0700, as dockerd's /run/docker). The exec root itself stays 0711, since
 * the API socket's group must reach the socket where it lives by default (/run/skiff/skiff.sock).
 *
 * <p>Containers are not hindered: overlayfs reads their layers with the credentials of the mounter (the daemon),
 * and a bind mount (volumes, /etc/hosts) is reached through the container's own tree, never through these paths.
 */
final class StateDirectories {
    static final String DATA_ROOT_MODE = "rwx--x---";
    static final String EXEC_ROOT_MODE = "rwx--x--x";
    static final String EXEC_ROOT_DIRECTORY_MODE = "rwx------";

    private StateDirectories() {
    }

    /** Sets the modes; called once every part of the daemon has made its directories. */
    static void restrict(Path dataRoot, Path execRoot) throws IOException {
        Files.setPosixFilePermissions(dataRoot, PosixFilePermissions.fromString(DATA_ROOT_MODE));
        Files.setPosixFilePermissions(execRoot, PosixFilePermissions.fromString(EXEC_ROOT_MODE));
        try (Stream<Path> children = Files.list(execRoot)) {
            for (Path child : children.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                Files.setPosixFilePermissions(child, PosixFilePermissions.fromString(EXEC_ROOT_DIRECTORY_MODE));
            }
        }
    }
}

package dev.skiff.daemon;

import dev.skiff.errors.UnavailableException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the helper binaries skiffd drives (runc, conmon) on the PATH and the usual sbin directories. */
final class Executables {
    private Executables() {
    }

    static Path find(String nameOrPath) {
        if (nameOrPath.contains("/")) {
            Path p = Path.of(nameOrPath);
            if (Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
            throw missing(nameOrPath);
        }
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin:/usr/libexec/podman";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, nameOrPath))) {
                return Path.of(dir, nameOrPath).toAbsolutePath();
            }
        }
        throw missing(nameOrPath);
    }

    private static UnavailableException missing(String name) {
        return new UnavailableException(name + " was not found on the PATH: skiffd needs it to run containers "
                + "(install it with bin/install-deps, or apt-get install " + name + ")");
    }
}

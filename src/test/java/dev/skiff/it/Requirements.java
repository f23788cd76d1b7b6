package dev.skiff.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Integration tests need root, runc, conmon and the docker CLI; bin/install-deps installs them. */
final class Requirements {
    private Requirements() {
    }

    /** Skips on a developer machine without the parts; fails in CI (CI=true), where a skip would hide a gap. */
    static void assumeContainerHost() {
        require("root".equals(System.getProperty("user.name")), "integration tests need root");
        for (String bin : new String[] {"runc", "conmon", "docker"}) {
            require(onPath(bin), bin + " is not installed (run bin/install-deps)");
        }
    }

    /** A test-only tool (docker-compose, skopeo, ...) that bin/install-deps installs. */
    static void assumeTool(String bin) {
        require(onPath(bin), bin + " is not installed (run bin/install-deps)");
    }

    private static void require(boolean ok, String why) {
        if (!ok && "true".equals(System.getenv("CI"))) {
            throw new AssertionError(why);
        }
        assumeTrue(ok, why);
    }

    static boolean onPath(String bin) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, bin))) {
                return true;
            }
        }
        return false;
    }
}

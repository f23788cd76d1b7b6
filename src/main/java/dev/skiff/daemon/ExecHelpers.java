package dev.skiff.daemon;

import dev.skiff.runtime.runc.ExecHelper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds skiff-exec: $SKIFF_EXEC_HELPER when set ("none": exec through runc), otherwise native/skiff-exec beside
 * the daemon's classes (target/native/skiff-exec in a checkout, built with them by Maven). Without it, execs go
 * through runc exec, as correct and ~30 ms slower each; the log says so once.
 */
final class ExecHelpers {
    private static final Logger LOG = LoggerFactory.getLogger(ExecHelpers.class);

    private ExecHelpers() {
    }

    static Optional<ExecHelper> load() {
        String env = System.getenv(ExecHelper.ENV);
        if ("none".equals(env)) {
            LOG.info("exec: through runc exec ({}=none)", ExecHelper.ENV);
            return Optional.empty();
        }
        Path binary = env != null && !env.isEmpty() ? Path.of(env) : besideClasses();
        if (binary == null || !Files.isRegularFile(binary)) {
            LOG.warn("exec: skiff-exec not found{}: execs run through runc exec, ~30 ms slower each (build it with"
                    + " bin/build, or set {} to its path)", binary == null ? "" : " at " + binary, ExecHelper.ENV);
            return Optional.empty();
        }
        try {
            ExecHelper helper = ExecHelper.load(binary);
            LOG.info("exec: through skiff-exec ({})", binary);
            return Optional.of(helper);
        } catch (IOException e) {
            LOG.warn("exec: cannot load skiff-exec from {}: {}; execs run through runc exec", binary, e.getMessage());
            return Optional.empty();
        }
    }

    private static Path besideClasses() {
        try {
            Path code = Path.of(ExecHelpers.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // target/skiff-0.1.0-SNAPSHOT.jar or target/classes: both beside target/native
            return code.getParent().resolve("native").resolve("skiff-exec");
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}

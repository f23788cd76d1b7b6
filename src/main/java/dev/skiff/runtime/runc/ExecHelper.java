package dev.skiff.runtime.runc;

import dev.skiff.runtime.unix.Posix;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * skiff-exec (src/main/c/skiff-exec.c), which starts exec'd processes instead of {@code runc exec}: ~2 ms instead
 * of 25-35 ms per exec. The daemon runs it from a sealed in-memory copy made at start, so that nothing, not even a
 * container process that may ptrace (CAP_SYS_PTRACE) and reach the helper through /proc/PID/exe while it joins the
 * container, can rewrite the binary the daemon runs as root (runc does the same against CVE-2019-5736).
 */
public final class ExecHelper {
    /** Set to a path to use that binary; "none" execs through runc, as before the helper existed. */
    public static final String ENV = "SKIFF_EXEC_HELPER";

    private final Path source;
    private final String command;

    private ExecHelper(Path source, String command) {
        this.source = source;
        this.command = command;
    }

    /** Loads the helper from {@code binary} into a sealed copy that this process keeps open. */
    public static ExecHelper load(Path binary) throws IOException {
        int fd = Posix.sealedMemfd("skiff-exec", Files.readAllBytes(binary));
        return new ExecHelper(binary, "/proc/" + ProcessHandle.current().pid() + "/fd/" + fd);
    }

    /** Where the binary was read from (the daemon's log names it). */
    public Path source() {
        return source;
    }

    List<String> run(Path spec, Path log, Path pidFile) {
        return List.of(command, "run", spec.toString(), log.toString(), pidFile.toString());
    }
}

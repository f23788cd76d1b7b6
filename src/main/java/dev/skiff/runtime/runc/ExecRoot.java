package dev.skiff.runtime.runc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The runtime's volatile state directory (a tmpfs such as /run/skiff, gone at reboot like the containers):
 *
 * <pre>
 *   exits/ID         conmon writes PID 1's exit code here (--exit-dir)
 *   s/ID -> bundle   conmon's short symlink to the bundle, where its attach socket and ctl FIFO live
 *   runc/            runc's own state (--root), separate from other engines on the host
 *   c/ID/            per container: conmon.pid, pid, the sync FIFO, runc.log, conmon.out, bundle, cgroup, process.json
 *   seccomp/DIGEST   a seccomp profile skiff-exec compiles (DIGEST.bpf beside it), shared by containers alike
 *   trash/           removed containers' directories, deleted in the background ({@link dev.skiff.sys.Trash})
 * </pre>
 *
 * Short names keep socket paths under the 108-byte sun_path limit.
 */
record ExecRoot(Path root) {
    Path exits() {
        return root.resolve("exits");
    }

    Path sockets() {
        return root.resolve("s");
    }

    Path runcRoot() {
        return root.resolve("runc");
    }

    Path container(String id) {
        return root.resolve("c").resolve(id);
    }

    Path seccompProfiles() {
        return root.resolve("seccomp");
    }

    Path seccompProfile(String digest) {
        return seccompProfiles().resolve(digest);
    }

    Path exitFile(String id) {
        return exits().resolve(id);
    }

    void create() throws IOException {
        Files.createDirectories(exits());
        Files.createDirectories(sockets());
        Files.createDirectories(seccompProfiles());
        // a directory per container in each (runc's state, ours): spread over ext4's block groups when the exec
        // root is on disk rather than a tmpfs (see FileTrees.spreadSubdirectories)
        dev.skiff.sys.FileTrees.spreadSubdirectories(runcRoot());
        dev.skiff.sys.FileTrees.spreadSubdirectories(root.resolve("c"));
    }

    Path trash() {
        return root.resolve("trash");
    }

    /**
     * Forgets a container: its exit file, socket link and per-container directory, the directory moved into
     * {@code trash} at once and deleted there later (a removal waits for one rename instead of a dozen unlinks).
     */
    void remove(String id, dev.skiff.sys.Trash trash) throws IOException {
        Files.deleteIfExists(exitFile(id));
        Files.deleteIfExists(sockets().resolve(id));
        trash.discard(container(id));
    }

    /** The file's content, trimmed, or null when it is absent or unreadable. */
    static String readTrimmed(Path file) {
        // Polled for files that are usually not there yet (pid files, exit files): an exists check costs no
        // exception with its stack trace, which the read of an absent file would.
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return null;
        }
    }
}

package dev.skiff.build.copy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Clones ADD's Git sources with git(1), as BuildKit's git source does: a shallow fetch of the ref (a full one when
 * the ref is a commit ID a server will not hand out by name), a detached checkout, submodules too. The tree then
 * gets the reference's modes (directories and executables 755, other files 644), the commit's time as every
 * mtime (so a commit always makes the same layer), and loses its {@code .git} unless --keep-git-dir.
 *
 * <p>The address comes from a Dockerfile and git runs on the host as the daemon's user, so git gets nothing of the
 * host's: no system or user config (HOME is the clone's scratch directory), no prompts (a repository that asks
 * for credentials fails), no hooks, and only the network transports (http, https, git, ssh; never file or ext,
 * which would read the host's repositories or run commands), for submodules as well.
 */
final class GitFetcher {
    /** Files and directories of a checkout, commit time on each. */
    record Cloned(Path dir, Path tree, String commit) {
    }

    private static final long TIMEOUT_MINUTES = 10;
    private static final long SIZE_CHECK_MILLIS = 250;
    /** The git commands that write the clone (the others only read it). */
    private static final Set<String> WRITING = Set.of("fetch", "checkout", "submodule");
    private static final Set<PosixFilePermission> DIR_OR_EXEC = java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> PLAIN = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private final String git;
    private final long maxBytes;

    GitFetcher(String git, long maxBytes) {
        this.git = git;
        this.maxBytes = maxBytes;
    }

    /**
     * Clones {@code source} into a new directory under {@code scratch} (the caller deletes {@link Cloned#dir}).
     *
     * @param what     how errors name the source ("ADD git://...", "build context git://...")
     * @param checksum a commit ID or a prefix of one the checked-out commit must have, or null
     */
    Cloned fetch(String what, GitSource source, String checksum, boolean keepGitDir, Path scratch) throws IOException {
        if (checksum != null && !checksum.toLowerCase(Locale.ROOT).matches("[0-9a-f]{1,64}")) {
            throw new InvalidArgumentException("ADD --checksum=" + checksum + ": a Git source's checksum is its commit ID"
                    + " (or a prefix of it)");
        }
        Files.createDirectories(scratch);
        Path dir = Files.createTempDirectory(scratch, "git-");
        boolean ok = false;
        try {
            Path repo = dir.resolve("repo");
            Files.createDirectories(repo);
            run(what, dir, repo, "init", "-q");
            run(what, dir, repo, "remote", "add", "origin", source.remote());
            String want = source.refOrHead();
            String fetchError = tryRun(what, dir, repo, "fetch", "-q", "--depth=1", "--no-tags", "--recurse-submodules=no",
                    "origin", want);
            String checkout = "FETCH_HEAD";
            if (fetchError != null) {
                if (!source.refLooksLikeCommit()) {
                    throw new UnavailableException(what + ": cannot fetch " + (source.ref().isEmpty()
                            ? "the default branch" : "\"" + source.ref() + "\"") + " from " + source.remote() + ": "
                            + fetchError);
                }
                // a commit ID (or a prefix): servers serve refs by name only, so fetch them all and look it up
                run(what, dir, repo, "fetch", "-q", "--tags", "--recurse-submodules=no", "origin",
                        "+refs/heads/*:refs/remotes/origin/*");
                String commit = capture(what, dir, repo, "rev-parse", "--verify", "-q", source.ref() + "^{commit}");
                if (commit == null) {
                    throw new InvalidArgumentException(what + ": no commit " + source.ref() + " in "
                            + source.remote() + " (nor a branch or tag of that name)");
                }
                checkout = commit.trim();
            }
            run(what, dir, repo, "checkout", "-q", "--detach", checkout);
            if (Files.exists(repo.resolve(".gitmodules"))) {
                run(what, dir, repo, "submodule", "update", "-q", "--init", "--recursive", "--depth=1");
            }
            String commit = run(what, dir, repo, "rev-parse", "HEAD").trim();
            if (checksum != null && !commit.startsWith(checksum.toLowerCase(Locale.ROOT))) {
                throw new InvalidArgumentException(what + ": expected checksum to match " + checksum
                        + ", got " + commit + " (fix --checksum or the reference)");
            }
            long commitSeconds = Long.parseLong(run(what, dir, repo, "log", "-1", "--format=%ct").trim());
            normalize(what, repo, keepGitDir, FileTime.from(commitSeconds, TimeUnit.SECONDS));
            Path tree = repo;
            if (!source.subdir().isEmpty()) {
                tree = ScopedPath.resolve(repo, source.subdir(), true);
                if (!Files.isDirectory(tree, LinkOption.NOFOLLOW_LINKS)) {
                    throw new InvalidArgumentException(what + ": no directory " + source.subdir()
                            + " in " + source.remote() + " at " + commit.substring(0, 12));
                }
            }
            ok = true;
            return new Cloned(dir, tree, commit);
        } finally {
            if (!ok) {
                deleteQuietly(dir);
            }
        }
    }

    /** The reference's modes, one mtime, no .git (unless kept), and a size bound on the whole. */
    private void normalize(String what, Path repo, boolean keepGitDir, FileTime time) throws IOException {
        List<Path> dirs = new ArrayList<>();
        long[] bytes = {0};
        Files.walkFileTree(repo, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                if (!keepGitDir && !d.equals(repo) && d.getFileName().toString().equals(".git")) {
                    dev.skiff.sys.FileTrees.delete(d);
                    return FileVisitResult.SKIP_SUBTREE;
                }
                dirs.add(d);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                if (a.isSymbolicLink()) {
                    touch(f, time);
                    return FileVisitResult.CONTINUE;
                }
                if (f.getFileName().toString().equals(".git") && !keepGitDir) {
                    Files.delete(f); // a submodule's pointer into the parent's .git
                    return FileVisitResult.CONTINUE;
                }
                bytes[0] += a.size();
                if (bytes[0] > maxBytes) {
                    throw new InvalidArgumentException(what + ": the repository is larger than "
                            + maxBytes + " bytes");
                }
                boolean exec = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS).stream()
                        .anyMatch(p -> p == PosixFilePermission.OWNER_EXECUTE || p == PosixFilePermission.GROUP_EXECUTE
                                || p == PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(f, exec ? DIR_OR_EXEC : PLAIN);
                touch(f, time);
                return FileVisitResult.CONTINUE;
            }
        });
        // directories last, deepest first: creating and deleting inside them above moved their mtimes
        for (int i = dirs.size() - 1; i >= 0; i--) {
            Files.setPosixFilePermissions(dirs.get(i), DIR_OR_EXEC);
            touch(dirs.get(i), time);
        }
    }

    static void deleteQuietly(Path dir) {
        try {
            dev.skiff.sys.FileTrees.delete(dir);
        } catch (IOException e) {
            // left in the build's scratch space, which is emptied with it
        }
    }

    /** git and its helpers (git-remote-http, index-pack), which would otherwise write on into the clone. */
    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private InvalidArgumentException tooLarge(String what) {
        return new InvalidArgumentException(what + ": the clone grew past " + maxBytes
                + " bytes on disk (its history included): add a smaller repository, or a subdirectory of one");
    }

    /** Bytes under {@code dir}, as git leaves it at this moment (files it deletes meanwhile are skipped). */
    static long diskUsage(Path dir) throws IOException {
        long[] bytes = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                bytes[0] += a.isRegularFile() ? a.size() : 0;
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return bytes[0];
    }

    private static void touch(Path p, FileTime time) throws IOException {
        Files.getFileAttributeView(p, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setTimes(time, time, null);
    }

    /** Runs git; its stdout, or an error with the last lines it wrote on stderr. */
    private String run(String what, Path home, Path repo, String... args) throws IOException {
        Path out = home.resolve("out");
        String error = exec(what, home, repo, out, args);
        if (error != null) {
            throw new UnavailableException(what + ": git " + args[0] + " failed: " + error);
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** git's stdout, or null when it failed. */
    private String capture(String what, Path home, Path repo, String... args) throws IOException {
        Path out = home.resolve("out");
        return exec(what, home, repo, out, args) == null ? Files.readString(out, StandardCharsets.UTF_8) : null;
    }

    /** Runs git; null when it succeeded, else the last lines it wrote on stderr. */
    private String tryRun(String what, Path home, Path repo, String... args) throws IOException {
        return exec(what, home, repo, null, args);
    }

    private String exec(String what, Path home, Path repo, Path stdout, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(git, "-C", repo.toString(),
                "-c", "core.hooksPath=/dev/null", "-c", "core.symlinks=true", "-c", "core.fsmonitor=false",
                "-c", "protocol.file.allow=never", "-c", "init.defaultBranch=main", "-c", "credential.helper=",
                "-c", "advice.detachedHead=false"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"));
        pb.environment().put("HOME", home.toString());
        pb.environment().put("LC_ALL", "C");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().put("GIT_ALLOW_PROTOCOL", "http:https:git:ssh");
        pb.environment().put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
        for (String proxy : List.of("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy")) {
            String v = System.getenv(proxy);
            if (v != null) {
                pb.environment().put(proxy, v); // the daemon's proxies, as its HTTP downloads use them
            }
        }
        Path err = home.resolve("err");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectError(err.toFile());
        pb.redirectOutput(stdout == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(stdout.toFile()));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UnavailableException(what + ": a Git source needs git(1) on the daemon's host: "
                    + e.getMessage() + " (install the git package)", e);
        }
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
            // the repository is untrusted: its size on disk is checked while git writes it, not only once it is
            // checked out (a clone could fill the disk first), and once more when git is done
            boolean writes = WRITING.contains(args[0]);
            while (!p.waitFor(SIZE_CHECK_MILLIS, TimeUnit.MILLISECONDS)) {
                if (System.nanoTime() - deadline > 0) {
                    kill(p);
                    return "timed out after " + TIMEOUT_MINUTES + " minutes";
                }
                if (writes && diskUsage(home) > maxBytes) {
                    kill(p);
                    p.waitFor();
                    throw tooLarge(what);
                }
            }
            if (writes && diskUsage(home) > maxBytes) {
                throw tooLarge(what);
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while running git " + args[0]);
        }
        if (p.exitValue() == 0) {
            return null;
        }
        List<String> lines = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        String last = lines.isEmpty() ? "exit status " + p.exitValue()
                : String.join("; ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        return last.length() > 500 ? last.substring(0, 500) + "..." : last;
    }
}

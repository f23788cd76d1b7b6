package dev.skiff.build.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.build.context.DockerIgnore;
import dev.skiff.build.dockerfile.DockerfileParser;
import dev.skiff.build.dockerfile.Instruction;
import dev.skiff.build.dockerfile.InstructionExpander;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.errors.UnavailableException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADD from Git repositories served by a real `git daemon` on loopback: refs, subdirectories, modes, checks. */
class AddGitTest {
    private static final long FIRST = 1_700_000_000L, SECOND = 1_700_000_600L;

    @TempDir
    Path tmp;
    Path ctx;
    Path rootfs;
    Path work;
    CopyEngine engine;
    Process daemon;
    String base;
    String firstCommit;
    String secondCommit;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/git")), "needs git");
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        engine = new CopyEngine(tmp.resolve("scratch"));
        work = Files.createDirectories(tmp.resolve("work"));
        git(work, FIRST, "init", "-q", "-b", "main");
        Files.writeString(work.resolve("README"), "read me\n");
        Files.createDirectories(work.resolve("bin"));
        Files.writeString(work.resolve("bin/run.sh"), "#!/bin/sh\necho run\n");
        Files.setPosixFilePermissions(work.resolve("bin/run.sh"), PosixFilePermissions.fromString("rwxrwxr-x"));
        Files.createDirectories(work.resolve("docs"));
        Files.writeString(work.resolve("docs/guide.md"), "guide v1\n");
        Files.createSymbolicLink(work.resolve("link"), Path.of("README"));
        git(work, FIRST, "add", "-A");
        git(work, FIRST, "commit", "-q", "-m", "first");
        git(work, FIRST, "tag", "v1");
        firstCommit = gitOut(work, "rev-parse", "HEAD");
        Files.writeString(work.resolve("docs/guide.md"), "guide v2\n");
        git(work, SECOND, "commit", "-q", "-am", "second");
        secondCommit = gitOut(work, "rev-parse", "HEAD");
        git(work, SECOND, "checkout", "-q", "-b", "feature");
        Files.writeString(work.resolve("feature.txt"), "on a branch\n");
        git(work, SECOND, "add", "-A");
        git(work, SECOND, "commit", "-q", "-m", "feature");
        git(work, SECOND, "checkout", "-q", "main");

        Path served = Files.createDirectories(tmp.resolve("served"));
        run(tmp, List.of("git", "clone", "-q", "--bare", work.toString(), served.resolve("repo.git").toString()));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        daemon = new ProcessBuilder("git", "daemon", "--reuseaddr", "--export-all", "--listen=127.0.0.1",
                "--port=" + port, "--base-path=" + served, served.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("daemon.log").toFile()).start();
        for (int i = 0; ; i++) {
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (IOException e) {
                if (i > 100) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
        base = "git://127.0.0.1:" + port + "/repo.git";
    }

    @AfterEach
    void tearDown() throws Exception {
        if (daemon != null) {
            daemon.destroy();
            daemon.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static void git(Path dir, long time, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=t", "-c", "user.email=t@example.com",
                "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        pb.environment().put("GIT_AUTHOR_DATE", time + " +0000");
        pb.environment().put("GIT_COMMITTER_DATE", time + " +0000");
        run(pb);
    }

    private static String gitOut(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor()).isZero();
        return out;
    }

    private static void run(Path dir, List<String> cmd) throws Exception {
        run(new ProcessBuilder(cmd).directory(dir.toFile()));
    }

    private static void run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", pb.command()) + ": " + out).isZero();
    }

    private static CopyRequest add(String line) {
        Instruction in = DockerfileParser.parse("Dockerfile", "FROM x\n" + line).stages().getFirst().instructions().getFirst();
        return CopyRequest.of((Instruction.Add) InstructionExpander.expand(in, Map.of(), '\\'), "/");
    }

    private String apply(String line) throws IOException {
        try (PreparedCopy p = engine.prepare(add(line), CopySource.context(ctx, DockerIgnore.NONE))) {
            p.apply(rootfs);
            return p.digest();
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void theDefaultBranch_isClonedIntoTheDestination_withTheReferencesModes_theCommitsTime_andNoGitDir() throws Exception {
        apply("ADD " + base + " /src");
        assertThat(rootfs.resolve("src/README")).hasContent("read me");
        assertThat(rootfs.resolve("src/docs/guide.md")).hasContent("guide v2");
        assertThat(rootfs.resolve("src/feature.txt")).doesNotExist(); // another branch
        assertThat(mode(rootfs.resolve("src/README"))).isEqualTo("rw-r--r--");
        assertThat(mode(rootfs.resolve("src/bin/run.sh"))).isEqualTo("rwxr-xr-x");
        assertThat(mode(rootfs.resolve("src/docs"))).isEqualTo("rwxr-xr-x");
        assertThat(Files.readSymbolicLink(rootfs.resolve("src/link"))).isEqualTo(Path.of("README"));
        assertThat(rootfs.resolve("src/.git")).doesNotExist();
        assertThat(Files.getLastModifiedTime(rootfs.resolve("src/README")).toMillis()).isEqualTo(SECOND * 1000);
        assertThat(Files.getAttribute(rootfs.resolve("src/README"), "unix:uid")).isEqualTo(0);
        try (var left = Files.list(tmp.resolve("scratch"))) {
            assertThat(left).as("the clone is gone with the copy").isEmpty();
        }
    }

    @Test
    void aTagABranchOrACommit_andASubdirectory_pickWhatIsAdded() throws Exception {
        apply("ADD " + base + "#v1:docs /tagged/");
        assertThat(rootfs.resolve("tagged/guide.md")).hasContent("guide v1");
        assertThat(rootfs.resolve("tagged/README")).doesNotExist();
        apply("ADD " + base + "#feature /branch/");
        assertThat(rootfs.resolve("branch/feature.txt")).hasContent("on a branch");
        // a commit that no ref names at its head: fetched in full, then looked up (a prefix is enough)
        apply("ADD " + base + "#" + firstCommit.substring(0, 10) + " /commit/");
        assertThat(rootfs.resolve("commit/docs/guide.md")).hasContent("guide v1");
        apply("ADD " + base + "#:bin /onlybin/");
        assertThat(rootfs.resolve("onlybin/run.sh")).exists();
    }

    @Test
    void keepGitDir_keepsIt_andChecksumChecksTheCommit() throws Exception {
        apply("ADD --keep-git-dir=true " + base + "#v1 /kept/");
        assertThat(rootfs.resolve("kept/.git")).isDirectory();
        apply("ADD --checksum=" + secondCommit.substring(0, 7) + " " + base + " /checked/");
        assertThat(rootfs.resolve("checked/README")).exists();
        assertThatThrownBy(() -> apply("ADD --checksum=" + firstCommit + " " + base + "#main /bad/"))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("expected checksum to match " + firstCommit + ", got " + secondCommit);
        assertThatThrownBy(() -> apply("ADD --checksum=sha256:00 " + base + " /bad/"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("its commit ID");
        assertThat(rootfs.resolve("bad")).doesNotExist();
    }

    @Test
    void theDigest_followsTheContent_notTheCommit() throws Exception {
        String one = apply("ADD " + base + "#v1 /a/");
        assertThat(apply("ADD " + base + "#v1 /a/")).isEqualTo(one);
        String bin = apply("ADD " + base + "#main:bin /b/");
        String whole = apply("ADD " + base + "#main /w/");
        // a new commit on main that changes docs only: bin/ reads the same, the whole tree does not
        Files.writeString(work.resolve("docs/guide.md"), "guide v3\n");
        git(work, SECOND + 60, "commit", "-q", "-am", "third");
        run(work, List.of("git", "push", "-q", tmp.resolve("served/repo.git").toString(), "main"));
        assertThat(apply("ADD " + base + "#main:bin /b/")).isEqualTo(bin);
        assertThat(apply("ADD " + base + "#main /w/")).isNotEqualTo(whole);
        assertThat(rootfs.resolve("w/docs/guide.md")).hasContent("guide v3");
    }

    @Test
    void badSources_sayWhatIsWrong_andLeaveNothing() throws Exception {
        assertThatThrownBy(() -> apply("ADD " + base + "#nosuchref /x/")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("cannot fetch \"nosuchref\" from " + base);
        assertThatThrownBy(() -> apply("ADD " + base + "#main:nosuchdir /x/")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no directory nosuchdir in " + base);
        assertThatThrownBy(() -> apply("ADD " + base + "#main:../.. /x/")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("is outside the repository");
        assertThatThrownBy(() -> apply("ADD " + base + "#--upload-pack=touch /x/"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("invalid Git reference");
        assertThatThrownBy(() -> apply("ADD git://127.0.0.1:1/none.git /x/")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("cannot fetch the default branch from git://127.0.0.1:1/none.git");
        assertThat(rootfs.resolve("x")).doesNotExist();
        try (var left = Files.list(tmp.resolve("scratch"))) {
            assertThat(left).as("failed clones are deleted").isEmpty();
        }
    }

    @Test
    void aCloneThatGrowsPastTheBound_isStoppedBeforeItsCheckout_andLeavesNothing() throws Exception {
        byte[] noise = new byte[2 << 20]; // incompressible, so the fetched pack is as large
        new java.util.Random(1).nextBytes(noise);
        Files.write(work.resolve("big.bin"), noise);
        git(work, SECOND, "add", "-A");
        git(work, SECOND, "commit", "-q", "-m", "big");
        run(work, List.of("git", "push", "-q", tmp.resolve("served/repo.git").toString(), "main"));
        Path scratch = tmp.resolve("bounded");
        GitFetcher bounded = new GitFetcher("git", 1 << 20);
        assertThatThrownBy(() -> bounded.fetch("ADD " + base, GitSource.parse(base, "ADD"), null, false, scratch))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessage("ADD " + base + ": the clone grew past 1048576 bytes on disk (its history included):"
                        + " add a smaller repository, or a subdirectory of one");
        try (var left = Files.list(scratch)) {
            assertThat(left).as("the stopped clone is deleted").isEmpty();
        }
        // the same repository within a larger bound
        GitFetcher.Cloned ok = new GitFetcher("git", 8 << 20).fetch("ADD " + base, GitSource.parse(base, "ADD"), null,
                false, scratch);
        assertThat(ok.tree().resolve("big.bin")).hasBinaryContent(noise);
        GitFetcher.deleteQuietly(ok.dir());
    }

    @Test
    void aSubmoduleOnTheHostsFilesystem_isNotFetched() throws Exception {
        // a repository may name any URL for a submodule: file:// would read the daemon's host
        Path secret = Files.createDirectories(tmp.resolve("secret"));
        git(secret, FIRST, "init", "-q", "-b", "main");
        Files.writeString(secret.resolve("key"), "host secret\n");
        git(secret, FIRST, "add", "-A");
        git(secret, FIRST, "commit", "-q", "-m", "s");
        git(work, SECOND, "-c", "protocol.file.allow=always", "submodule", "add", "-q", "file://" + secret, "sub");
        git(work, SECOND, "commit", "-q", "-m", "with a submodule");
        run(work, List.of("git", "push", "-q", tmp.resolve("served/repo.git").toString(), "main"));
        assertThatThrownBy(() -> apply("ADD " + base + " /sub/")).isInstanceOf(UnavailableException.class)
                .hasMessageContaining("git submodule failed").hasMessageContaining("not allowed");
        assertThat(rootfs.resolve("sub")).doesNotExist();
    }

    @Test
    void aRepositoryAsTheBuildContext_isItsTreeOrSubdirectoryAsATar() throws Exception {
        List<String> names = new ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                engine.remoteContext(base + "#v1:docs", "Dockerfile"))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                if (e.getName().equals("guide.md")) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("guide v1\n");
                }
            }
        }
        assertThat(names).containsExactly("guide.md");
        try (var left = Files.list(tmp.resolve("scratch"))) {
            assertThat(left).isEmpty();
        }
        assertThatThrownBy(() -> engine.remoteContext("git://127.0.0.1:1/none.git", "Dockerfile"))
                .isInstanceOf(UnavailableException.class)
                .hasMessageStartingWith("build context git://127.0.0.1:1/none.git: cannot fetch the default branch");
        assertThat(RemoteContexts.isGit("github.com/moby/moby")).isTrue();
        assertThat(RemoteContexts.isGit("https://example.com/context.tar")).isFalse();
    }

    @Test
    void gitForms_areRecognised_andParsed() {
        assertThat(GitSource.matches("https://github.com/moby/buildkit.git#v0.10.1")).isTrue();
        assertThat(GitSource.matches("https://example.com/archive.git?x=1")).isTrue();
        assertThat(GitSource.matches("git@github.com:user/repo.git")).isTrue();
        assertThat(GitSource.matches("git://host/repo")).isTrue();
        assertThat(GitSource.matches("ssh://git@host/repo.git")).isTrue();
        assertThat(GitSource.matches("https://example.com/archive.zip")).isFalse();
        assertThat(GitSource.matches("https://example.com/x.git.tar.gz")).isFalse();
        assertThat(GitSource.matches("file:///srv/repo.git")).isFalse();
        assertThat(GitSource.matches("repo.git")).isFalse(); // a file of the context
        assertThat(GitSource.parse("git@github.com:moby/buildkit.git#v0.14.1:docs", "ADD"))
                .isEqualTo(new GitSource("git@github.com:moby/buildkit.git", "v0.14.1", "docs"));
        assertThat(GitSource.parse("https://h/r.git", "ADD")).isEqualTo(new GitSource("https://h/r.git", "", ""));
        assertThat(GitSource.parse("https://h/r.git#:a/./b/", "ADD")).isEqualTo(new GitSource("https://h/r.git", "", "a/b"));
        assertThat(GitSource.parse("https://h/r.git#main", "ADD").refOrHead()).isEqualTo("main");
        assertThat(GitSource.parse("https://h/r.git", "ADD").refOrHead()).isEqualTo("HEAD");
    }
}

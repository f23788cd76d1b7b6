package dev.skiff.build.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.build.context.DockerIgnore;
import dev.skiff.build.dockerfile.DockerfileParser;
import dev.skiff.build.dockerfile.Instruction;
import dev.skiff.build.dockerfile.InstructionExpander;
import dev.skiff.errors.InvalidArgumentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** COPY semantics in temp directories: the reference's rules, ownership, modes, links, escapes, digests. */
class CopyEngineTest {
    @TempDir
    Path tmp;
    Path ctx;
    Path rootfs;
    CopyEngine engine;

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        rootfs = Files.createDirectories(tmp.resolve("rootfs"));
        engine = new CopyEngine(tmp.resolve("scratch"));
        write("file1.txt", "one");
        write("file2.txt", "two");
        write("dir/a.txt", "a");
        write("dir/sub/b.md", "b");
        write("x/a.txt", "xa");
        write("y/a.txt", "ya");
        write("x/y/c.txt", "xyc");
        write("arr[0].txt", "arr");
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n");
        Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\nstaff:x:50:\napp:x:1001:\n");
    }

    void write(String rel, String content) throws IOException {
        Path p = ctx.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    static CopyRequest copy(String line, String workdir) {
        Instruction in = DockerfileParser.parse("Dockerfile", "FROM x\n" + line).stages().getFirst().instructions().getFirst();
        Instruction expanded = InstructionExpander.expand(in, Map.of(), '\\');
        return expanded instanceof Instruction.Add a ? CopyRequest.of(a, workdir) : CopyRequest.of((Instruction.Copy) expanded, workdir);
    }

    private PreparedCopy prepare(String line) throws IOException {
        return engine.prepare(copy(line, "/"), CopySource.context(ctx, DockerIgnore.NONE));
    }

    void run(String line) throws IOException {
        run(line, "/", DockerIgnore.NONE);
    }

    private void run(String line, String workdir, DockerIgnore ignore) throws IOException {
        try (PreparedCopy p = engine.prepare(copy(line, workdir), CopySource.context(ctx, ignore))) {
            applyTo(p);
        }
    }

    /** Applies a prepared copy to {@link #rootfs}; {@link CopyEngineLinkedTest} links the context's files instead. */
    void applyTo(PreparedCopy p) throws IOException {
        p.apply(rootfs);
    }

    String read(String rel) throws IOException {
        return Files.readString(rootfs.resolve(rel));
    }

    private List<String> tree(String rel) throws IOException {
        Path base = rootfs.resolve(rel);
        try (Stream<Path> s = Files.walk(base)) {
            return s.filter(p -> !p.equals(base)).map(p -> base.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void file_toFileOrDirectory_trailingSlashMatters() throws Exception {
        run("COPY file1.txt /abs");
        assertThat(read("abs")).isEqualTo("one");
        run("COPY file1.txt /abs2/");
        assertThat(read("abs2/file1.txt")).isEqualTo("one");
        run("COPY file2.txt /abs2");
        assertThat(read("abs2/file2.txt")).as("an existing directory takes the file").isEqualTo("two");
        run("COPY test.txt rel/".replace("test.txt", "file1.txt"), "/usr/src/app", DockerIgnore.NONE);
        assertThat(read("usr/src/app/rel/file1.txt")).isEqualTo("one");
        run("COPY file1.txt .", "/w", DockerIgnore.NONE);
        assertThat(read("w/file1.txt")).isEqualTo("one");
    }

    @Test
    void directory_contentsAreCopiedNotTheDirectory() throws Exception {
        run("COPY dir /d");
        assertThat(tree("d")).containsExactly("a.txt", "sub", "sub/b.md");
        run("COPY dir/ /d2/");
        assertThat(tree("d2")).containsExactly("a.txt", "sub", "sub/b.md");
        run("COPY . /all");
        assertThat(tree("all")).contains("file1.txt", "dir/sub/b.md", "x/y/c.txt");
    }

    @Test
    void wildcardsAndMultipleSources() throws Exception {
        run("COPY file*.txt /m/");
        assertThat(tree("m")).containsExactly("file1.txt", "file2.txt");
        run("COPY file?.txt dir /n/");
        assertThat(tree("n")).containsExactly("a.txt", "file1.txt", "file2.txt", "sub", "sub/b.md");
        run("COPY arr[[]0].txt /o/");
        assertThat(read("o/arr[0].txt")).isEqualTo("arr");
        assertThatThrownBy(() -> run("COPY file1.txt file2.txt /notdir"))
                .hasMessageContaining("the destination must be a directory and end with a /");
        assertThatThrownBy(() -> run("COPY nothing*.txt /q/")).hasMessageContaining("file not found in build context or excluded by .dockerignore: stat nothing*.txt");
    }

    @Test
    void missingAndEscapingSources_areNotFoundInsideTheContext() throws Exception {
        assertThatThrownBy(() -> run("COPY missing.txt /")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("COPY failed: file not found in build context or excluded by .dockerignore: stat missing.txt: file does not exist");
        Files.writeString(tmp.resolve("secret"), "s");
        assertThatThrownBy(() -> run("COPY ../secret /")).hasMessageContaining("forbidden path outside the build context");
        assertThatThrownBy(() -> run("COPY ../../file1.txt /up")).as("refused, as the classic builder refuses it")
                .hasMessageContaining("forbidden path outside the build context: ../../file1.txt");
        run("COPY /file1.txt /up");
        assertThat(read("up")).as("a leading / is the context's root").isEqualTo("one");
    }

    @Test
    void symlinks_copiedAsLinks_neverFollowedOut() throws Exception {
        Files.createSymbolicLink(ctx.resolve("dir/out"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(ctx.resolve("toplink"), Path.of("/file1.txt"));
        Files.createSymbolicLink(ctx.resolve("escape"), Path.of("../../../../etc/hostname"));
        run("COPY dir /s");
        assertThat(Files.readSymbolicLink(rootfs.resolve("s/out"))).isEqualTo(Path.of("/etc/shadow"));
        run("COPY toplink /t");
        assertThat(read("t")).as("a top-level link resolves inside the context").isEqualTo("one");
        assertThatThrownBy(() -> run("COPY escape /e")).hasMessageContaining("missing file");
        Path outside = Files.createDirectories(tmp.resolve("host-etc"));
        Files.writeString(outside.resolve("secret"), "host secret");
        Files.createSymbolicLink(ctx.resolve("hostdir"), outside);
        Files.createSymbolicLink(ctx.resolve("reldir"), Path.of("../host-etc"));
        assertThatThrownBy(() -> run("COPY hostdir/secret /s1")).hasMessageContaining("not found");
        assertThatThrownBy(() -> run("COPY reldir/secret /s2")).hasMessageContaining("not found");
        assertThatThrownBy(() -> run("COPY hostdir/* /s3/")).hasMessageContaining("not found");
        assertThatThrownBy(() -> run("COPY reldir/s* /s4/")).hasMessageContaining("not found");
    }

    /** As the classic builder, and as the issue asks: a source outside the context is named, not clamped into it. */
    @Test
    void aSourceClimbingOutOfTheContext_isRefusedByName() throws Exception {
        for (String escape : new String[] {"../file1.txt", "/../file1.txt", "dir/../../file1.txt", "../*.txt"}) {
            assertThatThrownBy(() -> run("COPY " + escape + " /x/")).as(escape)
                    .isInstanceOf(dev.skiff.errors.InvalidArgumentException.class)
                    .hasMessage("COPY failed: forbidden path outside the build context: " + escape
                            + " (sources are relative to the build context root)");
        }
        run("COPY dir/../file1.txt /inside");
        assertThat(read("inside")).isEqualTo("one");
        assertThat(SourceResolver.climbsOut("a/./../b")).isFalse();
        assertThat(SourceResolver.climbsOut("a/../..")).isTrue();
    }

    @Test
    void destinationSymlinks_resolveInsideTheRootfs() throws Exception {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Files.createSymbolicLink(rootfs.resolve("evil"), outside);
        run("COPY file1.txt /evil/");
        assertThat(outside.resolve("file1.txt")).doesNotExist();
        // the absolute link target is taken inside the rootfs
        assertThat(read(outside.toString().substring(1) + "/file1.txt")).isEqualTo("one");
        Files.createSymbolicLink(rootfs.resolve("lnk"), Path.of("../../../../.."));
        run("COPY file2.txt /lnk/z");
        assertThat(read("z")).isEqualTo("two");
    }

    @Test
    void aFileDestinationThatIsALink_isWrittenThrough_asByDockerd() throws Exception {
        Files.writeString(rootfs.resolve("etc/real.conf"), "old");
        Files.createSymbolicLink(rootfs.resolve("etc/app.conf"), Path.of("/etc/real.conf"));
        run("COPY file1.txt /etc/app.conf");
        assertThat(Files.readSymbolicLink(rootfs.resolve("etc/app.conf"))).isEqualTo(Path.of("/etc/real.conf"));
        assertThat(read("etc/real.conf")).isEqualTo("one");
        // a dangling link makes its target (and the directories to it), inside the rootfs
        Files.createSymbolicLink(rootfs.resolve("dang"), Path.of("/nowhere/at/all"));
        run("COPY file2.txt /dang");
        assertThat(Files.isSymbolicLink(rootfs.resolve("dang"))).isTrue();
        assertThat(read("nowhere/at/all")).isEqualTo("two");
        // a link to a directory takes the file into it
        Files.createDirectories(rootfs.resolve("real-dir"));
        Files.createSymbolicLink(rootfs.resolve("dir-link"), Path.of("real-dir"));
        run("COPY file1.txt /dir-link");
        assertThat(read("real-dir/file1.txt")).isEqualTo("one");
        // a directory copy's entries replace links of the same name, as dockerd's untar does
        Files.createDirectories(rootfs.resolve("into"));
        Files.createSymbolicLink(rootfs.resolve("into/a.txt"), Path.of("/etc/real.conf"));
        run("COPY dir /into/");
        assertThat(Files.isSymbolicLink(rootfs.resolve("into/a.txt"))).isFalse();
        assertThat(read("into/a.txt")).isEqualTo("a");
        assertThat(read("etc/real.conf")).isEqualTo("one");
    }

    @Test
    void fileOntoDirectory_andDirectoryOntoFile_fail() throws Exception {
        Files.createDirectories(rootfs.resolve("dd/file1.txt"));
        assertThatThrownBy(() -> run("COPY file1.txt /dd/")).hasMessageContaining("onto the directory dd/file1.txt");
        Files.writeString(rootfs.resolve("ff"), "x");
        assertThatThrownBy(() -> run("COPY dir /ff")).hasMessageContaining("not a directory");
    }

    @Test
    void chownAndChmod() throws Exception {
        run("COPY --chown=app:staff --chmod=640 file1.txt /o/");
        Path f = rootfs.resolve("o/file1.txt");
        assertThat(Files.getAttribute(f, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(f, "unix:gid")).isEqualTo(50);
        assertThat((Integer) Files.getAttribute(f, "unix:mode") & 07777).isEqualTo(0640);
        assertThat(Files.getAttribute(rootfs.resolve("o"), "unix:uid")).as("created parents get the owner").isEqualTo(1000);
        run("COPY --chown=7 file2.txt /o/");
        assertThat(Files.getAttribute(rootfs.resolve("o/file2.txt"), "unix:gid")).as("gid = uid").isEqualTo(7);
        run("COPY --chown=app file2.txt /p");
        assertThat(Files.getAttribute(rootfs.resolve("p"), "unix:gid")).isEqualTo(1000);
        run("COPY --chmod=u=rwX,go=rX dir /sym");
        assertThat((Integer) Files.getAttribute(rootfs.resolve("sym/sub"), "unix:mode") & 0777).isEqualTo(0755);
        assertThat((Integer) Files.getAttribute(rootfs.resolve("sym/a.txt"), "unix:mode") & 0777).isEqualTo(0644);
        assertThatThrownBy(() -> run("COPY --chown=nobody file1.txt /n")).hasMessageContaining("unable to find user nobody");
        assertThatThrownBy(() -> run("COPY --chmod=999 file1.txt /n")).hasMessageContaining("invalid --chmod");
        run("COPY file1.txt /root-owned");
        assertThat(Files.getAttribute(rootfs.resolve("root-owned"), "unix:uid")).isEqualTo(0);
    }

    @Test
    void excludeAndDockerignore() throws Exception {
        run("COPY --exclude=**/*.md --exclude=x dir . /e/");
        assertThat(tree("e")).containsExactly("a.txt", "arr[0].txt", "dir", "dir/a.txt", "dir/sub", "file1.txt", "file2.txt",
                "sub", "y", "y/a.txt");
        run("COPY --exclude=*.md dir /e2/");
        assertThat(tree("e2")).as("like .dockerignore, *.md stays at its level").contains("sub/b.md");
        DockerIgnore ignore = DockerIgnore.parse("x\n*.txt\n!file1.txt\n");
        run("COPY . /i/", "/", ignore);
        assertThat(tree("i")).containsExactly("dir", "dir/a.txt", "dir/sub", "dir/sub/b.md", "file1.txt", "y", "y/a.txt");
        assertThatThrownBy(() -> run("COPY file2.txt /i2", "/", ignore)).hasMessageContaining("or excluded by .dockerignore");
    }

    @Test
    void parents_keepDirectoryStructure_withPivot() throws Exception {
        run("COPY ./x/a.txt ./y/a.txt /no_parents/");
        assertThat(tree("no_parents")).containsExactly("a.txt");
        run("COPY --parents ./x/a.txt ./y/a.txt /parents/");
        assertThat(tree("parents")).containsExactly("x", "x/a.txt", "y", "y/a.txt");
        run("COPY --parents ./x/./y/*.txt /pivot/");
        assertThat(tree("pivot")).containsExactly("y", "y/c.txt");
        run("COPY --parents ./**/a.txt /deep/");
        assertThat(tree("deep")).contains("dir/a.txt", "x/a.txt", "y/a.txt");
    }

    @Test
    void heredocInlineFiles() throws Exception {
        run("COPY <<EOF /etc/conf\nhello\nEOF");
        assertThat(read("etc/conf")).isEqualTo("hello\n");
        run("COPY <<one.txt <<two.txt /docs/\n1\none.txt\n2\ntwo.txt");
        assertThat(read("docs/one.txt")).isEqualTo("1\n");
        assertThat(read("docs/two.txt")).isEqualTo("2\n");
        assertThat((Integer) Files.getAttribute(rootfs.resolve("docs/one.txt"), "unix:mode") & 0777).isEqualTo(0644);
    }

    @Test
    void hardlinksAndModesAndMtimesPreserved() throws Exception {
        Path a = ctx.resolve("dir/a.txt");
        Files.createLink(ctx.resolve("dir/a-link"), a);
        Files.setAttribute(a, "unix:mode", 0750);
        Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000_000_000L));
        run("COPY dir /h");
        assertThat(Files.isSameFile(rootfs.resolve("h/a.txt"), rootfs.resolve("h/a-link"))).isTrue();
        assertThat((Integer) Files.getAttribute(rootfs.resolve("h/a.txt"), "unix:mode") & 07777).isEqualTo(0750);
        assertThat(Files.getLastModifiedTime(rootfs.resolve("h/a.txt"))).isEqualTo(FileTime.fromMillis(1_000_000_000_000L));
    }

    @Test
    void fromRootfs_keepsOwners() throws Exception {
        Path stage = Files.createDirectories(tmp.resolve("stage/app"));
        Files.writeString(stage.resolve("bin"), "elf");
        Files.setAttribute(stage.resolve("bin"), "unix:uid", 123);
        CopyRequest req = copy("COPY --from=build /app/bin /usr/bin/", "/");
        try (PreparedCopy p = engine.prepare(req, CopySource.rootfs(tmp.resolve("stage"), "stage build"))) {
            applyTo(p);
        }
        assertThat(Files.getAttribute(rootfs.resolve("usr/bin/bin"), "unix:uid")).isEqualTo(123);
        assertThatThrownBy(() -> engine.prepare(copy("COPY --from=build /nope /x", "/"),
                CopySource.rootfs(tmp.resolve("stage"), "stage build"))).hasMessageContaining("not found in the stage build");
    }

    @Test
    void digest_coversContentModesAndNames_notMtimes() throws Exception {
        String first = prepare("COPY dir /d").digest();
        assertThat(prepare("COPY dir /d").digest()).isEqualTo(first);
        Files.setLastModifiedTime(ctx.resolve("dir/a.txt"), FileTime.fromMillis(42));
        assertThat(prepare("COPY dir /d").digest()).as("touch keeps the digest").isEqualTo(first);
        write("dir/a.txt", "A");
        String changed = prepare("COPY dir /d").digest();
        assertThat(changed).isNotEqualTo(first);
        Files.setAttribute(ctx.resolve("dir/a.txt"), "unix:mode", 0600);
        assertThat(prepare("COPY dir /d").digest()).isNotEqualTo(changed);
        assertThat(prepare("COPY --chmod=644 dir /d").digest()).isNotEqualTo(prepare("COPY --chmod=600 dir /d").digest());
        assertThat(prepare("COPY --chown=1 dir /d").digest()).isNotEqualTo(prepare("COPY --chown=2 dir /d").digest());
        write("dir/new.txt", "n");
        assertThat(prepare("COPY dir /d").digest()).isNotEqualTo(changed);
        assertThat(prepare("COPY file1.txt /d").digest()).isNotEqualTo(prepare("COPY file2.txt /d").digest());
    }
}

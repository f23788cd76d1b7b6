package dev.skiff.build.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;

/**
 * Every COPY rule of {@link CopyEngineTest} again, with the context's files left to {@link UpperLinks} and linked
 * afterwards (the rootfs stands for the overlay's upper directory as well): the result must be the same. Plus what
 * is linked and what is not. Linking needs the context's files owned by root, as the daemon's are.
 */
class CopyEngineLinkedTest extends CopyEngineTest {
    @Override
    void applyTo(PreparedCopy p) throws IOException {
        UpperLinks links = new UpperLinks();
        p.apply(rootfs, links);
        links.into(rootfs);
    }

    private static void assumeRoot() throws IOException {
        assumeTrue((Integer) Files.getAttribute(Path.of("/"), "unix:uid") == 0
                && "root".equals(System.getProperty("user.name")), "linking needs context files owned by root");
    }

    @Test
    void aFileKeptAsItIs_sharesTheContextsInode_andKeepsItsDirectoryTime() throws Exception {
        assumeRoot();
        Files.setLastModifiedTime(ctx.resolve("dir/sub"), FileTime.fromMillis(1_500_000_000_000L));
        run("COPY dir /d");
        assertThat(Files.isSameFile(rootfs.resolve("d/a.txt"), ctx.resolve("dir/a.txt"))).isTrue();
        assertThat(Files.isSameFile(rootfs.resolve("d/sub/b.md"), ctx.resolve("dir/sub/b.md"))).isTrue();
        assertThat(Files.getLastModifiedTime(rootfs.resolve("d/sub"))).as("set again after linking")
                .isEqualTo(FileTime.fromMillis(1_500_000_000_000L));
    }

    @Test
    void chmodChownAndXattrs_getACopyOfTheirOwn() throws Exception {
        assumeRoot();
        run("COPY --chmod=600 file1.txt /m/");
        run("COPY --chmod=644 file2.txt /same/"); // the mode it has: nothing to change, so linked
        run("COPY --chown=7 file1.txt /o/");
        assertThat(Files.isSameFile(rootfs.resolve("m/file1.txt"), ctx.resolve("file1.txt"))).isFalse();
        assertThat(Files.isSameFile(rootfs.resolve("same/file2.txt"), ctx.resolve("file2.txt"))).isTrue();
        assertThat(Files.isSameFile(rootfs.resolve("o/file1.txt"), ctx.resolve("file1.txt"))).isFalse();
        assertThat((Integer) Files.getAttribute(ctx.resolve("file1.txt"), "unix:mode") & 07777)
                .as("the context's file is untouched").isEqualTo(0644);
    }

    @Test
    void aLaterSourceOfTheSameName_wins_andAFileIsNoDirectory() throws Exception {
        assumeRoot();
        run("COPY x/a.txt y/a.txt /w/");
        assertThat(read("w/a.txt")).isEqualTo("ya");
        run("COPY <<EOF /w/a.txt\ninline\nEOF");
        assertThat(read("w/a.txt")).as("written over by an inline file").isEqualTo("inline\n");
        assertThat(read("../ctx/y/a.txt")).isEqualTo("ya");
        write("q/a.txt/inner", "i");
        assertThatThrownBy(() -> run("COPY x/a.txt q/ /z/")).hasMessageContaining("onto the file z/a.txt");
    }

    @Test
    void aFileOverOneOfALowerLayer_replacesItsWhiteout() throws Exception {
        assumeRoot();
        Files.writeString(rootfs.resolve("etc/motd"), "old");
        UpperLinks links = new UpperLinks();
        try (PreparedCopy p = engine.prepare(CopyEngineTest.copy("COPY file1.txt /etc/motd", "/"),
                CopySource.context(ctx, dev.skiff.build.context.DockerIgnore.NONE))) {
            p.apply(rootfs, links);
        }
        assertThat(rootfs.resolve("etc/motd")).as("the old file is gone through the rootfs").doesNotExist();
        dev.skiff.sys.Syscalls.mknodChar(rootfs.resolve("etc/motd"), 0, 0, 0); // what overlayfs leaves in the upper dir
        links.into(rootfs);
        assertThat(read("etc/motd")).isEqualTo("one");
    }

    @Test
    void aContextOnAnotherFilesystem_isCopiedWithTheSameMetadata() throws Exception {
        assumeRoot();
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(rootfs)),
                "a tmpfs beside the test's directory");
        Path elsewhere = Files.createTempDirectory(shm, "skiff-ctx-");
        try {
            Path file = Files.writeString(elsewhere.resolve("f"), "from another filesystem");
            Files.setAttribute(file, "unix:mode", 0640);
            Files.setLastModifiedTime(file, FileTime.fromMillis(1_400_000_000_000L));
            UpperLinks links = new UpperLinks();
            try (PreparedCopy p = engine.prepare(CopyEngineTest.copy("COPY f /o/f", "/"),
                    CopySource.context(elsewhere, dev.skiff.build.context.DockerIgnore.NONE))) {
                p.apply(rootfs, links);
            }
            assertThat(links.size()).isEqualTo(1);
            links.into(rootfs); // the link is refused (EXDEV): a copy instead
            Path copied = rootfs.resolve("o/f");
            assertThat(Files.isSameFile(copied, file)).isFalse();
            assertThat(read("o/f")).isEqualTo("from another filesystem");
            assertThat((Integer) Files.getAttribute(copied, "unix:mode") & 07777).isEqualTo(0640);
            assertThat(Files.getLastModifiedTime(copied)).isEqualTo(FileTime.fromMillis(1_400_000_000_000L));
        } finally {
            dev.skiff.sys.FileTrees.delete(elsewhere);
        }
    }
}

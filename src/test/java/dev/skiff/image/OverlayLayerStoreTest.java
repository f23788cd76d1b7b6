package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unpacking needs root (chown, mknod, trusted.* xattrs); skipped otherwise. */
class OverlayLayerStoreTest {
    @TempDir
    Path root;
    private OverlayLayerStore store;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
        store = new OverlayLayerStore(root);
    }

    @Test
    void apply_keepsModesOwnersTimesLinksDevicesXattrs() throws Exception {
        byte[] tar = new TarBuilder()
                .dir("bin", 0755)
                .file("bin/tool", "#!/bin/sh\n", 04755, 1000, 1001, Map.of("SCHILY.xattr.user.note", "hi"))
                .symlink("bin/sh", "tool")
                .hardlink("bin/tool2", "bin/tool")
                .charDevice("dev/null", 1, 3)
                .dir("tmp", 01777)
                .build();
        Layer layer = store.apply(null, new ByteArrayInputStream(tar), null);
        assertThat(layer.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(layer.chainId()).isEqualTo(layer.diffId());
        assertThat(layer.tarSize()).isEqualTo(tar.length);
        assertThat(layer.size()).isEqualTo(10 + 4); // the file, and the link by its target's length (dockerd's rule)
        Path diff = store.diffDir(layer.chainId());
        Path tool = diff.resolve("bin/tool");
        assertThat(Files.getAttribute(tool, "unix:mode")).isEqualTo(0104755);
        assertThat(Files.getAttribute(tool, "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(tool, "unix:gid")).isEqualTo(1001);
        assertThat(Files.getLastModifiedTime(tool).toInstant()).isEqualTo(TarBuilder.MTIME);
        assertThat(Files.getLastModifiedTime(diff.resolve("bin")).toInstant()).isEqualTo(TarBuilder.MTIME);
        assertThat(Files.getAttribute(diff.resolve("tmp"), "unix:mode")).isEqualTo(041777);
        assertThat(Syscalls.lgetxattr(tool, "user.note")).isEqualTo("hi".getBytes());
        assertThat(Files.readSymbolicLink(diff.resolve("bin/sh"))).isEqualTo(Path.of("tool"));
        assertThat(Files.getAttribute(diff.resolve("bin/tool2"), "unix:ino")).isEqualTo(Files.getAttribute(tool, "unix:ino"));
        long rdev = (long) Files.getAttribute(diff.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        assertThat(Syscalls.major(rdev)).isEqualTo(1);
        assertThat(Syscalls.minor(rdev)).isEqualTo(3);
        assertThat(store.list()).containsExactly(layer);
    }

    @Test
    void applyVerified_unpacksUnderTheGivenDiffId_andRunsTheLastCheck() throws Exception {
        byte[] tar = new TarBuilder().file("etc/motd", "hello\n", 0644, 0, 0, Map.of()).build();
        Digest diffId = Digest.sha256(tar);
        boolean[] ran = {false};
        Layer layer = store.applyVerified(null, new ByteArrayInputStream(tar), diffId, () -> ran[0] = true);
        assertThat(ran[0]).isTrue();
        assertThat(layer.diffId()).isEqualTo(diffId);
        assertThat(layer.tarSize()).isEqualTo(tar.length);
        assertThat(Files.readString(store.diffDir(layer.chainId()).resolve("etc/motd"))).isEqualTo("hello\n");
        assertThat(store.applyVerified(null, new ByteArrayInputStream(tar), diffId, () -> { })).isEqualTo(layer);
    }

    @Test
    void apply_whiteoutsBecomeOverlayWhiteouts() throws Exception {
        Layer base = store.apply(null, new ByteArrayInputStream(new TarBuilder().file("etc/a", "a").build()), null);
        byte[] tar = new TarBuilder().dir("etc", 0755).file("etc/.wh.a", "").dir("var", 0755)
                .file("var/.wh..wh..opq", "").build();
        Layer top = store.apply(base.chainId(), new ByteArrayInputStream(tar), null);
        assertThat(top.chainId()).isEqualTo(Digest.sha256(base.diffId() + " " + top.diffId()));
        Path diff = store.diffDir(top.chainId());
        Path whiteout = diff.resolve("etc/a");
        assertThat((int) Files.getAttribute(whiteout, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0170000)
                .isEqualTo(Syscalls.S_IFCHR);
        assertThat((long) Files.getAttribute(whiteout, "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isZero();
        assertThat(Syscalls.lgetxattr(diff.resolve("var"), "trusted.overlay.opaque")).isEqualTo("y".getBytes());
        assertThat(diff.resolve("var/.wh..wh..opq")).doesNotExist();
    }

    @Test
    void apply_compressedForms_giveTheSameDiffId() throws Exception {
        byte[] tar = new TarBuilder().file("hello", "world").build();
        Digest expected = Digest.sha256(tar);
        assertThat(store.apply(null, new ByteArrayInputStream(compress(tar, GZIPOutputStream::new)), null).diffId())
                .isEqualTo(expected);
        store.delete(expected);
        assertThat(store.apply(null, new ByteArrayInputStream(compress(tar, ZstdOutputStream::new)), null).diffId())
                .isEqualTo(expected);
        store.delete(expected);
        assertThat(store.apply(null, new ByteArrayInputStream(compress(tar, BZip2CompressorOutputStream::new)), null)
                .diffId()).isEqualTo(expected);
        store.delete(expected);
        assertThat(store.apply(null, new ByteArrayInputStream(compress(tar, XZCompressorOutputStream::new)), null)
                .diffId()).isEqualTo(expected);
    }

    @Test
    void apply_present_isReusedWithoutReading() throws Exception {
        byte[] tar = new TarBuilder().file("x", "1").build();
        Layer first = store.apply(null, new ByteArrayInputStream(tar), null);
        Layer again = store.apply(null, new ByteArrayInputStream(new byte[0]), first.diffId());
        assertThat(again).isEqualTo(first);
        assertThat(store.apply(null, new ByteArrayInputStream(tar), null)).isEqualTo(first);
        assertThat(leftoverTemps()).isZero();
    }

    @Test
    void apply_diffIdMismatch_refusedAndNothingKept() throws Exception {
        byte[] tar = new TarBuilder().file("x", "1").build();
        assertThatThrownBy(() -> store.apply(null, new ByteArrayInputStream(tar), Digest.sha256("other")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("failed verification");
        assertThat(store.list()).isEmpty();
        assertThat(leftoverTemps()).isZero();
    }

    @Test
    void apply_dotDotEscape_refused() {
        assertRefused(new TarBuilder().file("a/../../evil", "x").build(), "a/../../evil");
    }

    @Test
    void apply_absolutePath_refused() {
        assertRefused(new TarBuilder().file("/etc/evil", "x").build(), "/etc/evil");
    }

    @Test
    void apply_writeThroughSymlink_refused() {
        Path outside = root.resolve("outside");
        assertRefused(new TarBuilder().symlink("link", outside.toString()).file("link/evil", "x").build(), "link/evil");
        assertThat(outside.resolve("evil")).doesNotExist();
        assertRefused(new TarBuilder().symlink("up", "..").file("up/evil", "x").build(), "up/evil");
    }

    @Test
    void apply_hardlinkEscape_refused() {
        assertRefused(new TarBuilder().hardlink("passwd", "../../../etc/passwd").build(), "passwd");
        assertRefused(new TarBuilder().hardlink("passwd", "/etc/passwd").build(), "passwd");
        assertRefused(new TarBuilder().symlink("etc", "/etc").hardlink("passwd", "etc/passwd").build(), "passwd");
    }

    @Test
    void gc_deletesLayersNoImageUses() throws Exception {
        Layer a = store.apply(null, new ByteArrayInputStream(new TarBuilder().file("a", "a").build()), null);
        Layer b = store.apply(null, new ByteArrayInputStream(new TarBuilder().file("b", "b").build()), null);
        assertThat(store.gc(Set.of(a.chainId()))).containsExactly(b);
        assertThat(store.list()).containsExactly(a);
        store.purge();
        assertThat(leftoverTemps()).isZero();
    }

    @Test
    void delete_hidesTheLayerAtOnce_andPurgeRemovesItsFiles() throws Exception {
        byte[] tar = new TarBuilder().file("a", "a").build();
        Layer a = store.apply(null, new ByteArrayInputStream(tar), null);
        assertThat(store.delete(a.chainId())).isTrue();
        assertThat(store.get(a.chainId())).isEmpty();
        assertThat(store.list()).isEmpty();
        assertThat(store.delete(a.chainId())).isFalse();
        assertThat(leftoverTemps()).as("the files, renamed aside").isEqualTo(1);
        // the chainID is free before the purge: a pull may bring the layer back, and it may go again
        assertThat(store.apply(null, new ByteArrayInputStream(tar), null)).isEqualTo(a);
        assertThat(store.diffDir(a.chainId()).resolve("a")).hasContent("a");
        assertThat(store.delete(a.chainId())).isTrue();
        assertThat(leftoverTemps()).isEqualTo(2);
        store.purge();
        assertThat(leftoverTemps()).isZero();
    }

    @Test
    void delete_withoutPurge_leavesFilesTheNextOpenRemoves() throws Exception {
        Layer a = store.apply(null, new ByteArrayInputStream(new TarBuilder().file("a", "a").build()), null);
        store.delete(a.chainId()); // and the daemon dies before its purge
        assertThat(leftoverTemps()).isEqualTo(1);
        OverlayLayerStore reopened = new OverlayLayerStore(root);
        assertThat(leftoverTemps()).isZero();
        assertThat(reopened.list()).isEmpty();
    }

    private void assertRefused(byte[] tar, String entry) {
        assertThatThrownBy(() -> store.apply(null, new ByteArrayInputStream(tar), null))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("\"" + entry + "\"");
        try {
            assertThat(store.list()).isEmpty();
            assertThat(leftoverTemps()).isZero();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long leftoverTemps() throws Exception {
        try (Stream<Path> s = Files.list(root.resolve("layers"))) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).count();
        }
    }

    private static byte[] compress(byte[] data, Compressor c) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = c.wrap(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private interface Compressor {
        OutputStream wrap(OutputStream out) throws Exception;
    }
}

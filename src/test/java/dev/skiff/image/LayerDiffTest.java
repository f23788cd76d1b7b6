package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerDiffTest {
    @TempDir
    Path tmp;

    @Test
    void writeLayer_convertsOverlayWhiteoutsAndRoundTrips() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for mknod and trusted xattrs");
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Files.writeString(Files.createDirectories(upper.resolve("etc")).resolve("motd"), "hello");
        Files.createLink(upper.resolve("etc/motd2"), upper.resolve("etc/motd"));
        Files.createSymbolicLink(upper.resolve("etc/link"), Path.of("motd"));
        Syscalls.mknodChar(upper.resolve("etc/gone"), 0, 0, 0);
        // a whiteout made a second before the unpack: its time must come from the layer, not the clock
        Files.setLastModifiedTime(upper.resolve("etc/gone"), java.nio.file.attribute.FileTime.fromMillis(1_000_000_000_000L));
        Path opaque = Files.createDirectories(upper.resolve("var/cache"));
        Syscalls.lsetxattr(opaque, "trusted.overlay.opaque", "y".getBytes());
        Syscalls.lsetxattr(upper.resolve("etc/motd"), "user.k", "v".getBytes());

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.writeLayer(upper, out);
        byte[] tar = out.toByteArray();

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                names.add(e.getName() + (e.isLink() ? " => " + e.getLinkName() : ""));
            }
        }
        assertThat(names).containsExactly("etc/", "etc/.wh.gone", "etc/link", "etc/motd", "etc/motd2 => etc/motd",
                "var/", "var/cache/", "var/cache/.wh..wh..opq");

        OverlayLayerStore store = new OverlayLayerStore(tmp.resolve("store"));
        Layer layer = store.apply(null, new ByteArrayInputStream(tar), null);
        Path diff = store.diffDir(layer.chainId());
        assertThat(Files.readString(diff.resolve("etc/motd"))).isEqualTo("hello");
        assertThat(Syscalls.lgetxattr(diff.resolve("etc/motd"), "user.k")).isEqualTo("v".getBytes());
        assertThat(Files.readSymbolicLink(diff.resolve("etc/link"))).isEqualTo(Path.of("motd"));
        assertThat((long) Files.getAttribute(diff.resolve("etc/gone"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isZero();
        assertThat(Syscalls.lgetxattr(diff.resolve("var/cache"), "trusted.overlay.opaque")).isEqualTo("y".getBytes());

        ByteArrayOutputStream again = new ByteArrayOutputStream();
        LayerDiff.writeLayer(diff, again);
        assertThat(Digest.sha256(again.toByteArray())).as("same tree, same bytes").isEqualTo(layer.diffId());
    }
}

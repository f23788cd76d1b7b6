package dev.skiff.build.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Date;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context unpacked over the previous one keeps the files that did not change, and only those; it never writes
 * to an inode of the previous context (a layer may share it); and it ends up exactly the new context.
 */
class ContextReuseTest {
    private static final Date MTIME = new Date(1_700_000_000_000L);

    @TempDir
    Path tmp;

    @Test
    void unchangedFilesStay_changedOnesAreNewFiles_andTheOldInodesAreUntouched() throws Exception {
        byte[] big = new byte[600 * 1024 + 17]; // several copy-buffer pieces
        new Random(1).nextBytes(big);
        ContextPlacement placement = ContextPlacement.at(tmp.resolve("contexts"));
        FileHashCache hashes = new FileHashCache();

        ContextArchive.Unpacked first = unpack(placement, "t1", hashes, null, tar(big, "same", MTIME));
        Path layer = Files.createDirectories(tmp.resolve("layer")); // names a COPY linked into a layer
        Files.createLink(layer.resolve("big"), first.root().resolve("big"));
        Files.createLink(layer.resolve("small"), first.root().resolve("small"));
        Object bigInode = inode(first.root().resolve("big"));
        Object aInode = inode(first.root().resolve("a"));

        ContextArchive.Unpacked second = unpack(placement, null, hashes, first, tar(big, "same", MTIME));
        assertThat(second.root()).isEqualTo(first.root());
        assertThat(inode(second.root().resolve("big"))).isEqualTo(bigInode);
        assertThat(Files.isSameFile(second.root().resolve("small"), layer.resolve("small"))).isTrue();
        // a file with two names in one context is never kept for the next
        assertThat(inode(second.root().resolve("a"))).isNotEqualTo(aInode);
        assertThat(Files.isSameFile(second.root().resolve("hard"), second.root().resolve("a"))).isTrue();
        assertThat(Files.readAllBytes(second.root().resolve("big"))).isEqualTo(big);
        assertHashed(hashes, second.root().resolve("big"));

        byte[] changed = big.clone();
        changed[2 * 256 * 1024 + 5] ^= 1; // same size and mtime, different in the third piece
        ContextArchive.Unpacked third = unpack(placement, null, hashes, second, tar(changed, "SAME", MTIME));
        assertThat(inode(third.root().resolve("big"))).isNotEqualTo(bigInode);
        assertThat(Files.readAllBytes(third.root().resolve("big"))).isEqualTo(changed);
        assertThat(Files.readAllBytes(layer.resolve("big"))).as("the old inode is untouched").isEqualTo(big);
        assertThat(Files.readString(third.root().resolve("small"))).isEqualTo("SAME");
        assertThat(Files.readString(layer.resolve("small"))).isEqualTo("same");
        assertHashed(hashes, third.root().resolve("big"));
        assertHashed(hashes, third.root().resolve("small"));
        assertThat(Files.getAttribute(third.root().resolve("big"), "unix:mode")).isEqualTo(0100644);
        assertThat(tmp.resolve("contexts/incoming")).doesNotExist();

        ContextArchive.Unpacked fourth = unpack(placement, null, hashes, third,
                tar(changed, "SAME", new Date(MTIME.getTime() + 1000)));
        assertThat(Files.getLastModifiedTime(fourth.root().resolve("big")).toMillis()).isEqualTo(MTIME.getTime() + 1000);
        assertHashed(hashes, fourth.root().resolve("big"));

        // the signature: the same for the same tree (kept or written anew, mtimes aside), another for any change
        // a COPY could see, even one of a byte with the size and mtime unchanged
        assertThat(second.signature()).isEqualTo(first.signature()).hasSize(64);
        assertThat(third.signature()).isNotEqualTo(second.signature());
        assertThat(fourth.signature()).isEqualTo(third.signature());
        ContextArchive.Unpacked fresh = unpack(placement, "t9", hashes, null, tar(changed, "SAME", MTIME));
        assertThat(fresh.signature()).isEqualTo(third.signature());
        assertThat(unpack(placement, "t10", hashes, null, TestTars.tar("x", "f", "1")).signature())
                .isNotEqualTo(unpack(placement, "t11", hashes, null, TestTars.tar("y", "f", "1")).signature())
                .isNotEqualTo(unpack(placement, "t12", hashes, null, TestTars.tar("x", "l", "1")).signature());
        assertThat(unpack(placement, "t13", null, null, TestTars.tar("x", "f", "1")).signature()).isNull();
    }

    @Test
    void namesNotBroughtAgainGo_andAnyNameMayChangeItsType() throws Exception {
        ContextPlacement placement = ContextPlacement.at(tmp.resolve("contexts"));
        FileHashCache hashes = new FileHashCache();
        ContextArchive.Unpacked first = unpack(placement, "t1", hashes, null, TestTars.tar(
                "d/", "d", "", "d/x", "f", "x", "gone", "f", "g", "f2d", "f", "file", "d2f/", "d", "", "d2f/in", "f", "in",
                "sl", "l", "d", "p", "l", "d"));
        ContextArchive.Unpacked second = unpack(placement, null, hashes, first, TestTars.tar(
                "d/", "d", "", "f2d/", "d", "", "f2d/y", "f", "y", "d2f", "f", "now a file", "sl/", "d", "", "p/z", "f", "z"));
        Path root = second.root();
        try (var all = Files.walk(root)) {
            assertThat(all.map(f -> root.relativize(f).toString()).sorted().toList())
                    .containsExactly("", "d", "d2f", "f2d", "f2d/y", "p", "p/z", "sl");
        }
        assertThat(Files.readString(root.resolve("d2f"))).isEqualTo("now a file");
        assertThat(Files.isDirectory(root.resolve("sl"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.isDirectory(root.resolve("p"), java.nio.file.LinkOption.NOFOLLOW_LINKS)).isTrue();

        // an update over an update: what the second left (and only that) is what a third finds stale, directories
        // with all below them, beside names that sort between a directory and its contents
        ContextArchive.Unpacked third = unpack(placement, null, hashes, second, TestTars.tar(
                "f2d-x", "f", "x", "d2f/", "d", "", "d2f/deep/", "d", "", "d2f/deep/er", "f", "er"));
        ContextArchive.Unpacked fourth = unpack(placement, null, hashes, third, TestTars.tar("f2d", "f", "back"));
        try (var all = Files.walk(root)) {
            assertThat(all.map(f -> root.relativize(f).toString()).sorted().toList()).containsExactly("", "f2d");
        }
        assertThat(fourth.names()).containsExactly("f2d");
        assertThat(Files.readString(root.resolve("f2d"))).isEqualTo("back");

        // a hardlink may only name a file this archive brought, not one the previous context left
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> unpack(placement, null, hashes, second,
                TestTars.tar("ok", "f", "ok", "h", "h", "f2d"))).hasMessageContaining("not a file earlier in the archive");
    }

    private static ContextArchive.Unpacked unpack(ContextPlacement placement, String tree, FileHashCache hashes,
                                                  ContextArchive.Unpacked previous, byte[] tar) throws IOException {
        return ContextArchive.extract(new ByteArrayInputStream(tar), placement, tree, 1L << 30, hashes, previous);
    }

    private static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private static void assertHashed(FileHashCache hashes, Path file) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        FileHashCache fresh = new FileHashCache();
        assertThat(hashes.sha256(file, attrs)).isEqualTo(fresh.sha256(file, attrs)).isEqualTo(FileHashCache.hash(file));
    }

    private static byte[] tar(byte[] big, String small, Date mtime) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            file(out, "big", big, mtime);
            file(out, "small", small.getBytes(), mtime);
            file(out, "a", "linked twice".getBytes(), mtime);
            TarArchiveEntry h = new TarArchiveEntry("hard", TarArchiveEntry.LF_LINK);
            h.setLinkName("a");
            h.setModTime(mtime);
            out.putArchiveEntry(h);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream out, String name, byte[] data, Date mtime) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(0100644);
        e.setModTime(mtime);
        out.putArchiveEntry(e);
        out.write(Arrays.copyOf(data, data.length));
        out.closeArchiveEntry();
    }
}

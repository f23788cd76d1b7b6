package dev.skiff.build.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.sys.FileTrees;
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

/** A context unpacked next to the previous one links the files that did not change, and only those. */
class ContextReuseTest {
    private static final Date MTIME = new Date(1_700_000_000_000L);

    @TempDir
    Path tmp;

    @Test
    void unchangedFilesAreLinked_changedOnesWrittenAndHashedAnew() throws Exception {
        byte[] big = new byte[600 * 1024 + 17]; // several copy-buffer pieces
        new Random(1).nextBytes(big);
        ContextPlacement placement = ContextPlacement.at(tmp.resolve("contexts"));
        FileHashCache hashes = new FileHashCache();

        ContextArchive.Unpacked first = unpack(placement, "t1", hashes, null, tar(big, "same", MTIME));
        ContextArchive.Unpacked second = unpack(placement, "t2", hashes, first, tar(big, "same", MTIME));
        assertThat(Files.isSameFile(second.root().resolve("big"), first.root().resolve("big"))).isTrue();
        assertThat(Files.isSameFile(second.root().resolve("small"), first.root().resolve("small"))).isTrue();
        // a file with two names in one context is never shared with the next
        assertThat(Files.isSameFile(second.root().resolve("a"), first.root().resolve("a"))).isFalse();
        assertThat(Files.isSameFile(second.root().resolve("hard"), second.root().resolve("a"))).isTrue();
        assertThat(Files.readAllBytes(second.root().resolve("big"))).isEqualTo(big);
        assertHashed(hashes, second.root().resolve("big"));

        FileTrees.delete(first.root());
        byte[] changed = big.clone();
        changed[2 * 256 * 1024 + 5] ^= 1; // same size and mtime, different in the third piece
        ContextArchive.Unpacked third = unpack(placement, "t3", hashes, second, tar(changed, "SAME", MTIME));
        assertThat(Files.isSameFile(third.root().resolve("big"), second.root().resolve("big"))).isFalse();
        assertThat(Files.readAllBytes(third.root().resolve("big"))).isEqualTo(changed);
        assertThat(Files.readAllBytes(second.root().resolve("big"))).isEqualTo(big);
        assertThat(Files.readString(third.root().resolve("small"))).isEqualTo("SAME");
        assertHashed(hashes, third.root().resolve("big"));
        assertHashed(hashes, third.root().resolve("small"));
        assertThat(Files.getAttribute(third.root().resolve("big"), "unix:mode")).isEqualTo(0100644);

        ContextArchive.Unpacked fourth = unpack(placement, "t4", hashes, third,
                tar(changed, "SAME", new Date(MTIME.getTime() + 1000)));
        assertThat(Files.isSameFile(fourth.root().resolve("big"), third.root().resolve("big"))).isFalse();
        assertThat(Files.getLastModifiedTime(fourth.root().resolve("big")).toMillis()).isEqualTo(MTIME.getTime() + 1000);
        assertHashed(hashes, fourth.root().resolve("big"));
    }

    private static ContextArchive.Unpacked unpack(ContextPlacement placement, String tree, FileHashCache hashes,
                                                  ContextArchive.Unpacked previous, byte[] tar) throws IOException {
        return ContextArchive.extract(new ByteArrayInputStream(tar), placement, tree, 1L << 30, hashes, previous);
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

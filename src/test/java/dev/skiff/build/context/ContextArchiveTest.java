package dev.skiff.build.context;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Untrusted context tars: files, links and modes kept; escapes refused; limits enforced. */
class ContextArchiveTest {
    @TempDir
    Path tmp;

    @Test
    void extract_keepsFilesModesAndSymlinks_gzipToo() throws Exception {
        byte[] raw = TestTars.tar("Dockerfile", "f", "FROM x\n", "src/", "d", "", "src/a.sh", "f", "echo",
                "src/link", "l", "/etc/passwd", "src/hard", "h", "src/a.sh");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw);
        }
        Path dir = tmp.resolve("ctx");
        long n = ContextArchive.extract(new ByteArrayInputStream(gz.toByteArray()), dir, 1 << 20);
        assertThat(n).isEqualTo(11);
        assertThat(Files.readString(dir.resolve("Dockerfile"))).isEqualTo("FROM x\n");
        assertThat(Files.isExecutable(dir.resolve("src/a.sh"))).isTrue();
        assertThat(Files.readSymbolicLink(dir.resolve("src/link"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(Files.isSameFile(dir.resolve("src/hard"), dir.resolve("src/a.sh"))).isTrue();
    }

    @Test
    void extract_refusesEscapes() throws Exception {
        assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(TestTars.tar("../evil", "f", "x")), tmp.resolve("a"), 1 << 20))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("outside the context");
        assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(
                TestTars.tar("link", "l", tmp.toString(), "link/evil", "f", "x")), tmp.resolve("b"), 1 << 20))
                .hasMessageContaining("through the symlink link");
        assertThat(tmp.resolve("evil")).doesNotExist();
        assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(
                TestTars.tar("h", "h", "../../etc/passwd")), tmp.resolve("c"), 1 << 20)).hasMessageContaining("outside the context");
        assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(TestTars.tar("big", "f", "0123456789")), tmp.resolve("d"), 5))
                .hasMessageContaining("larger than 5 bytes");
        Path abs = tmp.resolve("e");
        ContextArchive.extract(new ByteArrayInputStream(TestTars.tar("/abs/file", "f", "x")), abs, 100);
        assertThat(abs.resolve("abs/file")).exists();
    }

    @Test
    void walker_yieldsIncludedEntries_andRoundTripsThroughATar() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(dir.resolve("docs/deep"));
        Files.writeString(dir.resolve("docs/deep/keep.md"), "k");
        Files.writeString(dir.resolve("docs/drop.md"), "d");
        Files.writeString(dir.resolve("main.go"), "package main");
        Files.createDirectories(dir.resolve("node_modules/x"));
        Files.writeString(dir.resolve("node_modules/x/i.js"), "x");
        Files.createSymbolicLink(dir.resolve("out"), Path.of("/etc"));
        DockerIgnore ignore = DockerIgnore.parse("docs\n!docs/deep/keep.md\nnode_modules\n");
        assertThat(ContextWalker.walk(dir, ignore).stream().map(ContextWalker.ContextEntry::path).toList())
                .containsExactly("docs/deep/keep.md", "main.go", "out");
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        ContextWalker.writeTar(dir, ignore, tar);
        Path back = tmp.resolve("back");
        FileHashCache hashes = new FileHashCache();
        ContextArchive.extract(new ByteArrayInputStream(tar.toByteArray()), back, 1 << 20, hashes);
        assertThat(Files.readString(back.resolve("docs/deep/keep.md"))).isEqualTo("k");
        assertThat(back.resolve("node_modules")).doesNotExist();
        assertThat(Files.readSymbolicLink(back.resolve("out"))).isEqualTo(Path.of("/etc"));
        Path main = back.resolve("main.go");
        var attrs = Files.readAttributes(main, java.nio.file.attribute.BasicFileAttributes.class);
        assertThat(hashes.sha256(main, attrs)).isEqualTo(FileHashCache.hash(main));
    }

    @Test
    void aTarEndingRightAfterItsLastData_asTheDockerCliSendsAnOutsideDockerfile_isWhole() throws Exception {
        byte[] whole = TestTars.tar("a", "f", "abc", "Dockerfile.x", "f", "FROM busybox\n");
        // the last entry's header (512) and its 13 bytes, then nothing: no padding, no end-of-archive blocks
        int cut = 512 + 512 + 512 + "FROM busybox\n".length();
        ContextArchive.extract(new ByteArrayInputStream(java.util.Arrays.copyOf(whole, cut)), tmp.resolve("cli"), 1 << 20);
        assertThat(tmp.resolve("cli/Dockerfile.x")).hasContent("FROM busybox\n");
        assertThat(tmp.resolve("cli/a")).hasContent("abc");
        // cut inside the data: an error, not a shorter file
        assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(java.util.Arrays.copyOf(whole, cut - 3)),
                tmp.resolve("cut"), 1 << 20)).isInstanceOf(IOException.class);
    }

    @Test
    void corruptArchives_failCleanly_andNeverWriteOutside() throws Exception {
        byte[] good = TestTars.tar("a/", "d", "", "a/f", "f", "content", "a/l", "l", "../../x", "a/h", "h", "a/f");
        java.util.Random random = new java.util.Random(3);
        Path box = Files.createDirectories(tmp.resolve("box"));
        for (int i = 0; i < 300; i++) {
            byte[] bad = good.clone();
            for (int n = 1 + random.nextInt(8); n > 0; n--) {
                bad[random.nextInt(1536)] = (byte) random.nextInt(256);
            }
            try {
                ContextArchive.extract(new ByteArrayInputStream(bad), box.resolve("ctx" + i), 1 << 20);
            } catch (InvalidArgumentException | IOException expected) {
                // a corrupt or hostile archive is refused
            }
        }
        try (var list = Files.list(box)) {
            assertThat(list.allMatch(p -> p.getFileName().toString().startsWith("ctx"))).isTrue();
        }
        try (var list = Files.list(tmp)) {
            assertThat(list.map(p -> p.getFileName().toString()).toList()).containsExactly("box");
        }
    }

    @Test
    void aRepeatedEntry_replacesTheFirst_andItsHashFollows() throws Exception {
        Path dir = tmp.resolve("dup");
        FileHashCache hashes = new FileHashCache();
        ContextArchive.extract(new ByteArrayInputStream(TestTars.tar("a", "f", "first", "l", "l", "x", "a", "f", "second",
                "l", "f", "now a file")), dir, 1 << 20, hashes);
        assertThat(Files.readString(dir.resolve("a"))).isEqualTo("second");
        assertThat(Files.readString(dir.resolve("l"))).isEqualTo("now a file");
        Path a = dir.resolve("a");
        assertThat(hashes.sha256(a, Files.readAttributes(a, java.nio.file.attribute.BasicFileAttributes.class)))
                .isEqualTo(FileHashCache.hash(a));
        assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(TestTars.tar("d/", "d", "", "d", "f", "x")),
                tmp.resolve("dirfile"), 1 << 20)).hasMessageContaining("replaces a directory");
        assertThatThrownBy(() -> ContextArchive.extract(new ByteArrayInputStream(TestTars.tar("d/x", "f", "", "d", "l", "/")),
                tmp.resolve("dirlink"), 1 << 20)).hasMessageContaining("replaces a directory");
    }

    @Test
    void aContextsHashes_comeFromItsUnpacking_whileAFileKeepsItsSizeAndMtime() throws Exception {
        // a PAX mtime with nanoseconds, as Go's tar writer sends what the filesystem has
        java.nio.file.attribute.FileTime mtime = java.nio.file.attribute.FileTime.from(
                java.time.Instant.parse("2026-01-02T03:04:05.123456789Z"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            out.setBigNumberMode(org.apache.commons.compress.archivers.tar.TarArchiveOutputStream.BIGNUMBER_POSIX);
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("d/f");
            e.setSize(5);
            e.setLastModifiedTime(mtime);
            out.putArchiveEntry(e);
            out.write("hello".getBytes());
            out.closeArchiveEntry();
        }
        Path dir = tmp.resolve("ctx");
        FileHashCache hashes = new FileHashCache();
        ContextArchive.extract(new ByteArrayInputStream(bytes.toByteArray()), dir, 1 << 20, hashes);
        Path f = dir.resolve("d/f");
        String hello = FileHashCache.hash(f);
        java.nio.file.attribute.FileTime unpacked = Files.getLastModifiedTime(f); // to the millisecond, as recorded
        // rewritten in place behind the cache's back (nothing does that to a context): the record still answers,
        // which shows the answer is the unpacking's and no second read of the file
        Files.writeString(f, "HELLO");
        Files.setLastModifiedTime(f, unpacked);
        assertThat(hashes.sha256(f, Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class)))
                .isEqualTo(hello);
        // another mtime: read again
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(hashes.sha256(f, Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class)))
                .isEqualTo(FileHashCache.hash(f)).isNotEqualTo(hello);
        // a forgotten tree answers no more
        Files.setLastModifiedTime(f, unpacked);
        hashes.forgetBelow(dir);
        assertThat(hashes.sha256(f, Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class)))
                .isEqualTo(FileHashCache.hash(f));
    }

    @Test
    void aContextOfManyFiles_addsNoEntryPerFile_yetAnswersForEach() throws Exception {
        String[] spec = new String[3 * 2000];
        for (int i = 0; i < 2000; i++) {
            spec[3 * i] = "d" + (i % 20) + "/f" + i;
            spec[3 * i + 1] = "f";
            spec[3 * i + 2] = "content " + i;
        }
        Path dir = tmp.resolve("many");
        FileHashCache hashes = new FileHashCache();
        ContextArchive.extract(new ByteArrayInputStream(TestTars.tar(spec)), dir, 1 << 24, hashes);
        assertThat(hashes.entries()).isZero(); // the unpacking's records answer: no key, path and inode per file
        for (int i : new int[] {0, 777, 1999}) {
            Path f = dir.resolve("d" + (i % 20) + "/f" + i);
            assertThat(hashes.sha256(f, Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class)))
                    .isEqualTo(FileHashCache.hash(f));
        }
        assertThat(hashes.entries()).isZero();
    }
}

package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaxXattrsTest {
    /** Not UTF-8: the bytes commons-compress alone would turn into U+FFFD. */
    static final byte[] BINARY = {(byte) 0xff, (byte) 0x80, 0, 1, (byte) 0xc3, 'x', (byte) 0xfe};

    @TempDir
    Path tmp;

    /** A tar as Go's archive/tar writes one: a raw binary SCHILY.xattr record, then a second file after it. */
    private static byte[] tarWithBinaryXattr() throws Exception {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(PaxXattrs.writing(raw), "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry a = new TarArchiveEntry("bin/ping");
            a.addPaxHeader(PaxXattrs.LIBARCHIVE + "user.cap", Base64.getEncoder().encodeToString(BINARY));
            a.addPaxHeader(PaxXattrs.SCHILY + "user.text", "plain");
            a.setSize(5);
            tar.putArchiveEntry(a);
            tar.write("hello".getBytes(StandardCharsets.UTF_8));
            tar.closeArchiveEntry();
            TarArchiveEntry b = new TarArchiveEntry("etc/after");
            byte[] big = "x".repeat(1500).getBytes(StandardCharsets.UTF_8);
            b.setSize(big.length);
            tar.putArchiveEntry(b);
            tar.write(big);
            tar.closeArchiveEntry();
        }
        return raw.toByteArray();
    }

    @Test
    void writing_turnsBase64RecordsIntoRawSchilyRecords_asDockerWritesThem() throws Exception {
        byte[] tar = tarWithBinaryXattr();
        String latin = new String(tar, StandardCharsets.ISO_8859_1);
        assertThat(latin).contains("SCHILY.xattr.user.cap=" + new String(BINARY, StandardCharsets.ISO_8859_1) + "\n")
                .doesNotContain("LIBARCHIVE.xattr").contains("SCHILY.xattr.user.text=plain\n");
    }

    @Test
    void reading_deliversBinaryValuesIntact_andKeepsEntryBoundaries() throws Exception {
        try (TarArchiveInputStream in = new TarArchiveInputStream(
                PaxXattrs.reading(new ByteArrayInputStream(tarWithBinaryXattr())), "UTF-8")) {
            TarArchiveEntry a = in.getNextEntry();
            assertThat(a.getName()).isEqualTo("bin/ping");
            assertThat(Base64.getDecoder().decode(a.getExtraPaxHeader(PaxXattrs.LIBARCHIVE + "user.cap"))).isEqualTo(BINARY);
            assertThat(a.getExtraPaxHeader(PaxXattrs.SCHILY + "user.text")).isEqualTo("plain");
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello");
            TarArchiveEntry b = in.getNextEntry();
            assertThat(b.getName()).isEqualTo("etc/after");
            assertThat(in.readAllBytes()).hasSize(1500);
            assertThat(in.getNextEntry()).isNull();
        }
    }

    @Test
    void streamsWithoutBinaryXattrs_passThroughByteForByte() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry e = new TarArchiveEntry("d/" + "long".repeat(40));
            e.addPaxHeader(PaxXattrs.SCHILY + "user.k", "v");
            e.setSize(3);
            tar.putArchiveEntry(e);
            tar.write(new byte[] {1, 2, 3});
            tar.closeArchiveEntry();
        }
        byte[] original = plain.toByteArray();
        try (InputStream in = PaxXattrs.reading(new ByteArrayInputStream(original))) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
        ByteArrayOutputStream copied = new ByteArrayOutputStream();
        try (OutputStream out = PaxXattrs.writing(copied)) {
            for (int i = 0; i < original.length; i += 7) { // odd chunks: headers arrive in pieces
                out.write(original, i, Math.min(7, original.length - i));
            }
        }
        assertThat(copied.toByteArray()).isEqualTo(original);
    }

    @Test
    void malformedPaxData_isLeftForTheTarReaderToRefuse() {
        byte[] junk = "99 SCHILY.xattr.a=b\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(PaxXattrs.binaryToBase64(junk)).isSameAs(junk);
        byte[] noEquals = "12 abcdefgh\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(PaxXattrs.binaryToBase64(noEquals)).isSameAs(noEquals);
    }

    @Test
    void record_lengthCountsItsOwnDigits() {
        for (int n = 0; n < 300; n++) {
            byte[] r = PaxXattrs.record("k", "v".repeat(n).getBytes(StandardCharsets.UTF_8));
            int space = new String(r, StandardCharsets.US_ASCII).indexOf(' ');
            assertThat(Integer.parseInt(new String(r, 0, space, StandardCharsets.US_ASCII))).isEqualTo(r.length);
        }
    }

    @Test
    void unpackAndDiff_keepABinaryXattr() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for lchown during unpack");
        Path root = Files.createDirectories(tmp.resolve("root"));
        LayerUnpacker.unpack(new ByteArrayInputStream(tarWithBinaryXattr()), root);
        assertThat(Syscalls.lgetxattr(root.resolve("bin/ping"), "user.cap")).isEqualTo(BINARY);
        assertThat(Syscalls.lgetxattr(root.resolve("bin/ping"), "user.text")).isEqualTo("plain".getBytes());

        ByteArrayOutputStream layer = new ByteArrayOutputStream();
        LayerDiff.writeTree(root, "", layer);
        assertThat(new String(layer.toByteArray(), StandardCharsets.ISO_8859_1))
                .contains("SCHILY.xattr.user.cap=" + new String(BINARY, StandardCharsets.ISO_8859_1) + "\n");
        Path again = Files.createDirectories(tmp.resolve("again"));
        LayerUnpacker.unpack(new ByteArrayInputStream(layer.toByteArray()), again);
        assertThat(Syscalls.lgetxattr(again.resolve("bin/ping"), "user.cap")).isEqualTo(BINARY);
    }
}

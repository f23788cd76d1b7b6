package dev.skiff.cli.commands.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextTarTest {
    @TempDir
    Path dir;

    @Test
    void entriesInNameOrder_ignoredLeftOut_keptAlwaysSent_symlinksNotFollowed() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Files.writeString(dir.resolve(".dockerignore"), "*.log\n.dockerignore\n");
        Files.createDirectories(dir.resolve("src/sub"));
        Files.writeString(dir.resolve("src/sub/b.txt"), "bee");
        Files.writeString(dir.resolve("src/a.txt"), "a");
        Files.writeString(dir.resolve("debug.log"), "noise");
        Files.createSymbolicLink(dir.resolve("link"), Path.of("/etc/passwd"));

        List<TarArchiveEntry> entries = entries(write());

        assertThat(entries).extracting(TarArchiveEntry::getName).containsExactly(
                ".dockerignore", "Dockerfile", "link", "src/", "src/a.txt", "src/sub/", "src/sub/b.txt");
        TarArchiveEntry link = entries.get(2);
        assertThat(link.isSymbolicLink()).isTrue();
        assertThat(link.getLinkName()).isEqualTo("/etc/passwd");
        assertThat(entries.get(6).getSize()).isEqualTo(3);
    }

    @Test
    void modificationTimesInWholeSeconds_soNoEntryNeedsAPaxHeader() throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM scratch\n");
        Path file = dir.resolve("data");
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-11-23T10:15:30.123456789Z")));

        byte[] tar = write();

        // Dockerfile and data, one 512-byte header and one block of content each, then the two end blocks (padded
        // to the 10 KiB record): a PAX header would add two more blocks per entry, and its "path" line
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry dockerfile = in.getNextEntry();
            TarArchiveEntry data = in.getNextEntry();
            assertThat(data.getName()).isEqualTo("data");
            assertThat(data.getExtraPaxHeaders()).isEmpty();
            assertThat(data.getLastModifiedTime().toInstant()).isEqualTo(Instant.parse("2026-11-23T10:15:30Z"));
            assertThat(dockerfile.getExtraPaxHeaders()).isEmpty();
        }
        assertThat(new String(tar, 0, 100, java.nio.charset.StandardCharsets.US_ASCII)).startsWith("Dockerfile");
    }

    private byte[] write() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContextTar.write(dir, IgnorePatterns.read(dir.resolve(".dockerignore")), List.of("Dockerfile", ".dockerignore"),
                null, null, out);
        return out.toByteArray();
    }

    private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
        List<TarArchiveEntry> all = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                all.add(e);
            }
        }
        return all;
    }
}

package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {
    @TempDir
    Path tmp;

    /** Device numbers past 8 bits of major and minor (as a /dev/nvme or a dynamic major has) survive export/cp. */
    @Test
    void deviceNodes_keepWideMajorAndMinor() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "mknod needs root");
        Path root = tmp.resolve("rootfs");
        Files.createDirectories(root.resolve("dev"));
        Syscalls.mknodChar(root.resolve("dev/wide"), 0640, 259, 70_000);
        Syscalls.mknodChar(root.resolve("dev/null"), 0666, 1, 3);
        Files.writeString(root.resolve("file"), "content");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter.write(root, "", out);

        Map<String, TarArchiveEntry> entries = new HashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.put(e.getName(), e);
            }
        }
        TarArchiveEntry wide = entries.get("dev/wide");
        assertThat(wide.isCharacterDevice()).isTrue();
        assertThat(wide.getDevMajor()).isEqualTo(259);
        assertThat(wide.getDevMinor()).isEqualTo(70_000);
        assertThat(entries.get("dev/null").getDevMajor()).isEqualTo(1);
        assertThat(entries.get("dev/null").getDevMinor()).isEqualTo(3);
        assertThat(entries.get("file").getSize()).isEqualTo(7);
    }
}

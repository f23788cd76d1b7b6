package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker cp's archives into a rootfs: hard links name files inside it, and a bad one is the client's error. */
class TarExtractorTest {
    @TempDir
    Path root;

    private static byte[] tar(String file, String link, String linkTarget) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
            if (file != null) {
                TarArchiveEntry f = new TarArchiveEntry(file);
                f.setSize(2);
                out.putArchiveEntry(f);
                out.write("hi".getBytes());
                out.closeArchiveEntry();
            }
            TarArchiveEntry l = new TarArchiveEntry(link, TarArchiveEntry.LF_LINK);
            l.setLinkName(linkTarget);
            out.putArchiveEntry(l);
            out.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void aHardLinkToAFileOfTheArchive_isMade() throws Exception {
        TarExtractor.extract(new ByteArrayInputStream(tar("a", "b", "a")), root, "/", false, false);
        assertThat(Files.readString(root.resolve("b"))).isEqualTo("hi");
        assertThat(Files.getAttribute(root.resolve("b"), "unix:nlink")).isEqualTo(2);
    }

    @Test
    void aHardLinkToNothingThere_isABadRequest_inTheContainersTerms() throws Exception {
        assertThatThrownBy(() -> TarExtractor.extract(new ByteArrayInputStream(tar(null, "shadowlink", "/etc/shadow")),
                root, "/", false, false))
                .isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("shadowlink is a hard link to /etc/shadow, which is not a file in the container")
                .hasMessageNotContaining(root.toString());
        assertThat(root.resolve("shadowlink")).doesNotExist();
    }
}

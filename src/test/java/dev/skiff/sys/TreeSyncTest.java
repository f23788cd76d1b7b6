package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeSyncTest {
    @TempDir
    Path tmp;

    /** Both ways (an fsync each, or one syncfs past the bound) handle every kind of entry a layer holds. */
    @Test
    void smallAndLargeTrees_withLinksAndEmptyDirectories() throws IOException {
        for (int files : new int[] {3, TreeSync.MAX_FSYNCS + 10}) {
            Path root = Files.createDirectories(tmp.resolve("tree-" + files).resolve("diff"));
            Files.createDirectories(root.resolve("a/b/empty"));
            for (int i = 0; i < files; i++) {
                Files.writeString(root.resolve("a/f" + i), "content " + i);
            }
            Files.createSymbolicLink(root.resolve("a/b/link"), Path.of("/nonexistent/target"));
            Files.createLink(root.resolve("hard"), root.resolve("a/f0"));
            TreeSync.sync(root);
            assertThat(Files.readString(root.resolve("hard"))).isEqualTo("content 0");
            assertThat(Files.isSymbolicLink(root.resolve("a/b/link"))).isTrue();
        }
    }

    @Test
    void aSingleFile() throws IOException {
        Path f = Files.writeString(tmp.resolve("one"), "x");
        TreeSync.sync(f);
        assertThat(Files.readString(f)).isEqualTo("x");
    }
}

package dev.skiff.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the GC looks at: regular files to a depth, no symlinks followed, a missing directory is empty. */
class GarbageCollectorFilesTest {
    @TempDir
    Path dir;

    @Test
    void regularFilesToTheDepth_symlinksNotFollowed() throws Exception {
        Files.createDirectories(dir.resolve("ab/deeper"));
        Files.writeString(dir.resolve("top"), "1");
        Files.writeString(dir.resolve("ab/abcd"), "2");
        Files.writeString(dir.resolve("ab/deeper/too-deep"), "3");
        Files.createSymbolicLink(dir.resolve("ab/link"), dir.resolve("top"));
        assertThat(GarbageCollector.files(dir, 1)).containsExactly(dir.resolve("top"));
        assertThat(GarbageCollector.files(dir, 2)).containsExactlyInAnyOrder(dir.resolve("top"), dir.resolve("ab/abcd"));
    }

    @Test
    void aDirectoryThatIsNotThere_hasNothing() throws Exception {
        assertThat(GarbageCollector.files(dir.resolve("gone"), 2)).isEmpty();
        Files.writeString(dir.resolve("file"), "x");
        assertThat(GarbageCollector.files(dir.resolve("file"), 1)).isEmpty();
    }
}

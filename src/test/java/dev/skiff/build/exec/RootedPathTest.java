package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootedPathTest {
    @TempDir
    Path root;

    @Test
    void symlinksResolveInsideTheRoot_neverOutside() throws Exception {
        Files.createDirectories(root.resolve("real/dir"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/real"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../etc"));
        assertThat(RootedPath.resolve(root, "abs/dir")).isEqualTo(root.toAbsolutePath().resolve("real/dir"));
        assertThat(RootedPath.resolve(root, "up/passwd")).isEqualTo(root.toAbsolutePath().resolve("etc/passwd"));
        assertThat(RootedPath.resolve(root, "../../x")).isEqualTo(root.toAbsolutePath().resolve("x"));
    }
}

package dev.skiff.build.copy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths inside a rootfs resolve as in a chroot: links followed, never out of the root. */
class ScopedPathTest {
    @TempDir
    Path root;

    @Test
    void resolve_followsLinksInsideTheRoot() throws Exception {
        Files.createDirectories(root.resolve("usr/lib"));
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/usr"));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(root.resolve("usr/lib/file"), Path.of("/etc/shadow"));
        Path r = root.toAbsolutePath().normalize();
        assertThat(ScopedPath.resolve(root, "/lib/x", true)).isEqualTo(r.resolve("usr/lib/x"));
        assertThat(ScopedPath.resolve(root, "abs/lib", true)).isEqualTo(r.resolve("usr/lib"));
        assertThat(ScopedPath.resolve(root, "/up/etc/passwd", true)).isEqualTo(r.resolve("etc/passwd"));
        assertThat(ScopedPath.resolve(root, "../../etc", true)).isEqualTo(r.resolve("etc"));
        assertThat(ScopedPath.resolve(root, "/lib/file", false)).isEqualTo(r.resolve("usr/lib/file"));
        assertThat(ScopedPath.resolve(root, "/lib/file", true)).isEqualTo(r.resolve("etc/shadow"));
        assertThat(ScopedPath.resolve(root, "/", true)).isEqualTo(r);
        assertThatThrownBy(() -> ScopedPath.resolve(root, "/loop/x", true)).hasMessageContaining("too many levels");
    }
}

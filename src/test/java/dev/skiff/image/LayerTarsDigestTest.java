package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Syscalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LayerTars#digest} hashes the tar on another thread than the one writing it, through large buffers: its
 * digest and size must be those of the very bytes {@link LayerDiff#writeLayer} gives a plain stream, for every kind
 * of entry, since that hash is the layer's diffID and push and save regenerate the same tar against it.
 */
class LayerTarsDigestTest {
    @TempDir
    Path tmp;

    /** A tree with every kind of entry and files on both sides of the read and hand-off buffer sizes. */
    private Path tree() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("upper"));
        Random random = new Random(42);
        Path data = Files.createDirectories(root.resolve("data"));
        for (int i = 0; i < 60; i++) {
            byte[] b = new byte[i * 9_973 + i % 7]; // 0 .. ~590 KB: empty, sub-record, several read buffers
            random.nextBytes(b);
            Files.write(data.resolve("f" + i), b);
        }
        byte[] big = new byte[(1 << 20) + 12_345]; // spans several of the digest's buffers
        random.nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Path etc = Files.createDirectories(root.resolve("etc"));
        Files.writeString(etc.resolve("motd"), "hello");
        Files.createLink(etc.resolve("motd2"), etc.resolve("motd"));
        Files.createLink(etc.resolve("a-first"), etc.resolve("motd"));
        Files.createSymbolicLink(etc.resolve("link"), Path.of("motd"));
        Files.createSymbolicLink(etc.resolve("long-link"), Path.of("../" + "t".repeat(180)));
        String longDir = "d".repeat(90) + "/" + "e".repeat(90);
        Path deep = Files.createDirectories(root.resolve(longDir));
        Files.writeString(deep.resolve("n".repeat(120)), "a name past ustar's 100 bytes");
        Files.writeString(root.resolve("caf\u00e9 \u65e5\u672c"), "a name that is not ASCII");
        Path suid = Files.writeString(root.resolve("suid"), "#!/bin/sh\n");
        Syscalls.chmod(suid, 04755);
        Files.setPosixFilePermissions(Files.writeString(root.resolve("private"), "x"),
                PosixFilePermissions.fromString("rw-------"));
        Files.setLastModifiedTime(etc.resolve("motd"), FileTime.fromMillis(1_234_567_890_123L));
        Syscalls.lsetxattr(etc.resolve("motd"), "user.text", "value".getBytes());
        Syscalls.lsetxattr(etc.resolve("motd"), "user.bin", new byte[] {1, 0, (byte) 0xff, (byte) 0xfe});
        if (isRoot()) {
            Syscalls.mknodChar(etc.resolve("gone"), 0, 0, 0);
            Files.setLastModifiedTime(etc.resolve("gone"), FileTime.fromMillis(1_000_000_000_000L));
            Path opaque = Files.createDirectories(root.resolve("var/cache"));
            Syscalls.lsetxattr(opaque, "trusted.overlay.opaque", "y".getBytes());
            Files.writeString(opaque.resolve("kept"), "k");
            Syscalls.mknod(root.resolve("fifo"), Syscalls.S_IFIFO | 0644, 0, 0);
            Syscalls.mknodChar(root.resolve("null"), 0666, 1, 3);
            Syscalls.lchown(etc.resolve("motd"), 1000, 1001);
        }
        return root;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static byte[] plainTar(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerDiff.writeLayer(dir, out);
        return out.toByteArray();
    }

    @Test
    void digest_isTheHashAndLengthOfTheTarWrittenToAByteArray() throws Exception {
        Path dir = tree();
        byte[] tar = plainTar(dir);
        LayerTars.TarDigest d = LayerTars.digest(dir);
        assertThat(d.diffId()).isEqualTo(Digest.sha256(tar));
        assertThat(d.size()).isEqualTo(tar.length);
        assertThat(LayerTars.digest(dir)).as("again, the same").isEqualTo(d);
    }

    @Test
    void regenerate_givesTheSameBytes_andVerifiesThem() throws Exception {
        Path dir = tree();
        byte[] tar = plainTar(dir);
        LayerTars.TarDigest d = LayerTars.digest(dir);
        try (InputStream in = LayerTars.regenerate(dir, d.diffId(), d.size())) {
            assertThat(in.readAllBytes()).isEqualTo(tar);
        }
    }

    @Test
    void aTreeThatCannotBeRead_failsTheDigestWithTheWritersError() throws Exception {
        assertThatThrownBy(() -> LayerTars.digest(tmp.resolve("missing")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class).hasMessageContaining("missing");
    }

    @Test
    void emptyTree_digestsToTheEndOfArchiveBlocksAlone() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assumeTrue(Files.isDirectory(dir));
        byte[] tar = plainTar(dir);
        assertThat(LayerTars.digest(dir)).isEqualTo(new LayerTars.TarDigest(Digest.sha256(tar), tar.length));
    }
}

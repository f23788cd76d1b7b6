package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Sqlite;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real busybox rootfs (bin/busybox-rootfs) through import, save and load, and our archives through
 * skopeo (a third-party reader and writer of both docker-archive and OCI archives) and back.
 */
class ImageArchiveIT {
    @TempDir
    Path tmp;
    private final List<Sqlite> dbs = new ArrayList<>();

    @BeforeEach
    void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for chown, mknod and xattrs");
    }

    @AfterEach
    void close() {
        dbs.forEach(Sqlite::close);
    }

    private LocalImageService store(String name) throws Exception {
        Sqlite db = Sqlite.open(tmp.resolve(name).resolve("skiff.db"));
        dbs.add(db);
        return LocalImageService.open(tmp.resolve(name), db);
    }

    private Path busyboxRootfs() throws Exception {
        Path repo = Path.of(System.getProperty("skiff.repo", System.getProperty("user.dir")));
        Path out = tmp.resolve("busybox.tar");
        Process p = new ProcessBuilder(repo.resolve("bin/busybox-rootfs").toString())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return out;
    }

    @Test
    void busybox_importSaveLoad_keepsTheImageId() throws Exception {
        Path rootfs = busyboxRootfs();
        LocalImageService first = store("first");
        Image imported;
        try (InputStream in = Files.newInputStream(rootfs)) {
            imported = first.importRootfs(in, new ImportOptions("busybox:latest", List.of("CMD [\"sh\"]"), null, null),
                    Progress.NONE);
        }
        assertThat(imported.config().rootfs().diffIds()).containsExactly(Digest.sha256(Files.readAllBytes(rootfs)).toString());
        Path layer = first.layerDirs(imported).getFirst();
        assertThat(Files.isSymbolicLink(layer.resolve("bin/sh"))).isTrue();
        assertThat(Files.getAttribute(layer.resolve("tmp"), "unix:mode")).isEqualTo(041777);

        Path saved = tmp.resolve("saved.tar");
        try (OutputStream out = Files.newOutputStream(saved)) {
            first.save(List.of("busybox"), out);
        }
        LocalImageService second = store("second");
        try (InputStream in = Files.newInputStream(saved)) {
            List<Image> loaded = second.load(in, Progress.NONE);
            assertThat(loaded).extracting(Image::id).containsExactly(imported.id());
        }
        assertThat(second.resolve("busybox").id()).isEqualTo(imported.id());
        assertThat(second.layerDirs(second.resolve("busybox")).getFirst().resolve("bin/busybox"))
                .hasSameBinaryContentAs(layer.resolve("bin/busybox"));

        assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")), "skopeo is not installed");
        // skopeo reads our tar both ways and writes archives of its own that we load back.
        skopeo("inspect", "docker-archive:" + saved);
        skopeo("inspect", "oci-archive:" + saved);
        Path theirsDocker = tmp.resolve("skopeo-docker.tar");
        Path theirsOci = tmp.resolve("skopeo-oci.tar");
        skopeo("copy", "docker-archive:" + saved, "docker-archive:" + theirsDocker + ":copied/busybox:docker");
        skopeo("copy", "docker-archive:" + saved, "oci-archive:" + theirsOci + ":copied/busybox:oci");
        LocalImageService third = store("third");
        try (InputStream in = Files.newInputStream(theirsDocker)) {
            third.load(in, Progress.NONE);
        }
        try (InputStream in = Files.newInputStream(theirsOci)) {
            third.load(in, Progress.NONE);
        }
        Image docker = third.resolve("copied/busybox:docker");
        Image oci = third.resolve("copied/busybox:oci");
        assertThat(docker.config().rootfs().diffIds()).isEqualTo(imported.config().rootfs().diffIds());
        assertThat(oci.config().rootfs().diffIds()).isEqualTo(imported.config().rootfs().diffIds());
    }

    private void skopeo(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + output).isZero();
    }
}

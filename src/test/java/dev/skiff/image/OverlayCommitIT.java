package dev.skiff.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.sys.Sqlite;
import dev.skiff.sys.Syscalls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whiteouts end to end with the kernel's overlayfs: changes made through a real overlay mount (a deleted
 * file, a replaced directory) are committed, saved as OCI whiteouts, loaded elsewhere, and look the same
 * through a new overlay mount of the loaded image.
 */
class OverlayCommitIT {
    @TempDir
    Path tmp;
    private final List<Path> mounts = new ArrayList<>();
    private final List<Sqlite> dbs = new ArrayList<>();

    @BeforeEach
    void needsRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to mount overlayfs");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Path m : mounts.reversed()) {
            Syscalls.umount(m, Syscalls.MNT_DETACH);
        }
        dbs.forEach(Sqlite::close);
    }

    private LocalImageService store(String name) throws Exception {
        Sqlite db = Sqlite.open(tmp.resolve(name).resolve("skiff.db"));
        dbs.add(db);
        return LocalImageService.open(tmp.resolve(name), db);
    }

    /** Mounts the image's layers with a fresh upper dir; returns {merged, upper}. */
    private Path[] mount(LocalImageService store, Image image, String name) throws Exception {
        Path base = Files.createDirectories(tmp.resolve(name));
        Path upper = Files.createDirectories(base.resolve("upper"));
        Path work = Files.createDirectories(base.resolve("work"));
        Path merged = Files.createDirectories(base.resolve("merged"));
        String lower = store.layerDirs(image).reversed().stream().map(Path::toString).collect(Collectors.joining(":"));
        Syscalls.mount("overlay", merged, "overlay", 0, "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work);
        mounts.add(merged);
        return new Path[] {merged, upper};
    }

    @Test
    void commitThroughOverlay_saveLoad_keepsDeletionsAndOpaqueDirs() throws Exception {
        LocalImageService a = store("a");
        byte[] rootfs = new TarBuilder().dir("etc", 0755).file("etc/hostname", "base").file("etc/keep", "k")
                .dir("var/cache", 0755).file("var/cache/old1", "1").file("var/cache/old2", "2").build();
        Image base = a.importRootfs(new ByteArrayInputStream(rootfs), new ImportOptions("base", null, null, null),
                Progress.NONE);

        Path[] m = mount(a, base, "c1");
        Files.delete(m[0].resolve("etc/hostname"));
        Files.writeString(m[0].resolve("etc/new"), "new");
        // Replacing a directory that exists below makes overlay mark the new one opaque.
        for (String f : new String[] {"old1", "old2"}) {
            Files.delete(m[0].resolve("var/cache/" + f));
        }
        Files.delete(m[0].resolve("var/cache"));
        Files.createDirectory(m[0].resolve("var/cache"));
        Files.writeString(m[0].resolve("var/cache/fresh"), "f");
        Syscalls.umount(m[0], 0);
        mounts.remove(m[0]);

        Image child = a.commit(new CommitRequest(base.id(), m[1], base.config().config(), "changes", null, null, "child"));
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        a.save(List.of("child"), saved);
        Map<String, byte[]> files = ArchiveTest.untar(saved.toByteArray());
        byte[] topLayer = files.get("blobs/sha256/" + child.config().rootfs().diffIds().getLast().substring(7));
        List<String> names = new ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(topLayer))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        assertThat(names).contains("etc/.wh.hostname", "etc/new", "var/cache/.wh..wh..opq", "var/cache/fresh");

        LocalImageService b = store("b");
        b.load(new ByteArrayInputStream(saved.toByteArray()), Progress.NONE);
        Path[] view = mount(b, b.resolve("child"), "c2");
        assertThat(view[0].resolve("etc/hostname")).doesNotExist();
        assertThat(view[0].resolve("etc/keep")).hasContent("k");
        assertThat(view[0].resolve("etc/new")).hasContent("new");
        try (var list = Files.list(view[0].resolve("var/cache"))) {
            assertThat(list.map(p -> p.getFileName().toString())).containsExactly("fresh");
        }
    }
}

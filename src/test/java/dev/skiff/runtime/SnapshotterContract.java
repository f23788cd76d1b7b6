package dev.skiff.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Snapshotter} must do (after containerd's snapshots/testsuite): layers stack in order,
 * writes land in the upper dir only, every call is idempotent, and many layers still mount.
 */
public abstract class SnapshotterContract {
    private final List<String> keys = new ArrayList<>();

    protected abstract Snapshotter snapshotter();

    /** A scratch directory for layer directories. */
    protected abstract Path scratch();

    @AfterEach
    void removeSnapshots() {
        for (String k : keys) {
            snapshotter().remove(k);
        }
        keys.clear();
    }

    private String key(String name) {
        keys.add(name);
        return name;
    }

    private Path layer(String name, String file, String content) throws Exception {
        Path dir = Files.createDirectories(scratch().resolve("layers").resolve(name));
        if (file != null) {
            Files.writeString(dir.resolve(file), content);
        }
        return dir;
    }

    @Test
    void upperLayersWin_andWritesStayInUpper() throws Exception {
        Path bottom = layer("bottom", "f", "bottom");
        Files.writeString(bottom.resolve("only-bottom"), "b");
        Path top = layer("top", "f", "top");
        String k = key("stack");
        snapshotter().prepare(k, List.of(bottom, top));
        Path root = snapshotter().mount(k);
        assertThat(Files.readString(root.resolve("f"))).isEqualTo("top");
        assertThat(root.resolve("only-bottom")).exists();
        Files.writeString(root.resolve("new"), "n");
        Files.delete(root.resolve("only-bottom"));
        assertThat(snapshotter().upperDir(k).resolve("new")).hasContent("n");
        assertThat(bottom.resolve("only-bottom")).exists();
    }

    @Test
    void everyCall_isIdempotent() throws Exception {
        String k = key("idem");
        Path l = layer("l1", "a", "1");
        snapshotter().prepare(k, List.of(l));
        snapshotter().prepare(k, List.of(l));
        Path first = snapshotter().mount(k);
        assertThat(snapshotter().mount(k)).isEqualTo(first);
        assertThat(snapshotter().isMounted(k)).isTrue();
        snapshotter().unmount(k);
        snapshotter().unmount(k);
        assertThat(snapshotter().isMounted(k)).isFalse();
        assertThat(snapshotter().mount(k).resolve("a")).hasContent("1");
        snapshotter().remove(k);
        snapshotter().remove(k);
        assertThat(snapshotter().isMounted(k)).isFalse();
    }

    @Test
    void remount_keepsTheChanges() throws Exception {
        String k = key("keep");
        snapshotter().prepare(k, List.of(layer("l2", null, null)));
        Files.writeString(snapshotter().mount(k).resolve("x"), "kept");
        snapshotter().unmount(k);
        assertThat(snapshotter().mount(k).resolve("x")).hasContent("kept");
    }

    @Test
    void disposableWrites_mountAgainAndKeepTheChangesOfAContainer() throws Exception {
        // a --rm container restarted (docker restart) is unmounted and mounted again; a build step's upper is read
        String k = key("disposable");
        Path image = layer("l-disposable", "f", "image");
        snapshotter().prepareContainer(k, List.of(image), Snapshotter.Writes.DISPOSABLE);
        Path root = snapshotter().mount(k);
        Files.writeString(root.resolve("x"), "written");
        try (var ch = java.nio.channels.FileChannel.open(root.resolve("x"), java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true); // may do nothing, but must not fail
        }
        snapshotter().unmount(k);
        Path again = snapshotter().mount(k);
        assertThat(again.resolve("x")).hasContent("written");
        assertThat(again.resolve("f")).hasContent("image");
        assertThat(snapshotter().upperDir(k).resolve("x")).hasContent("written");
        snapshotter().remove(k);
        assertThat(snapshotter().isMounted(k)).isFalse();
    }

    @Test
    void noLayers_isAnEmptyWritableRoot() throws Exception {
        String k = key("scratch");
        snapshotter().prepare(k, List.of());
        Path root = snapshotter().mount(k);
        try (var s = Files.list(root)) {
            assertThat(s).isEmpty();
        }
        Files.writeString(root.resolve("x"), "1");
        assertThat(snapshotter().upperDir(k).resolve("x")).exists();
    }

    @Test
    void containerSnapshot_hasTheRuntimesMountPointsBelowItsOwnChanges() throws Exception {
        Path image = layer("img", null, null);
        Files.createDirectories(image.resolve("etc"));
        Files.writeString(image.resolve("etc/hosts"), "the image's own");
        Files.writeString(image.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.setPosixFilePermissions(image.resolve("etc"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        Files.createDirectories(image.resolve("sys"));
        Path upperLayer = layer("img-top", null, null);
        Files.createSymbolicLink(upperLayer.resolve("dev"), Path.of("/nowhere")); // an image whose /dev is no directory
        String k = key("ctr");
        snapshotter().prepareContainer(k, List.of(image, upperLayer));

        assertThat(snapshotter().lowerDirs(k)).hasSize(3).startsWith(image, upperLayer);
        Path root = snapshotter().mount(k);
        for (String empty : List.of(".dockerenv", "etc/hosts", "etc/hostname", "etc/resolv.conf", "dev/console")) {
            assertThat(root.resolve(empty)).isRegularFile().isEmptyFile();
        }
        for (String dir : List.of("proc", "sys", "dev/pts", "dev/shm")) {
            assertThat(root.resolve(dir)).isDirectory();
        }
        assertThat(Files.readSymbolicLink(root.resolve("etc/mtab"))).isEqualTo(Path.of("/proc/mounts"));
        assertThat(root.resolve("etc/passwd")).hasContent("root:x:0:0::/root:/bin/sh\n");
        assertThat(Files.getPosixFilePermissions(root.resolve("etc")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-x---"));
        try (var s = Files.list(snapshotter().upperDir(k))) {
            assertThat(s).isEmpty(); // none of it is the container's change
        }
        snapshotter().prepare(k, List.of(image)); // a plain snapshot has no init layer
        assertThat(snapshotter().lowerDirs(k)).containsExactly(image);
    }

    @Test
    void manyLayers_mount() throws Exception {
        List<Path> layers = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            layers.add(layer("many-with-a-rather-long-directory-name-to-overflow-one-page-" + i, "f" + i, "" + i));
        }
        String k = key("many");
        snapshotter().prepare(k, layers);
        Path root = snapshotter().mount(k);
        assertThat(root.resolve("f0")).hasContent("0");
        assertThat(root.resolve("f127")).hasContent("127");
    }
}

package dev.skiff.runtime.overlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One init layer per image, made once, complete before it has its name, and gone once nothing lists it. */
class SharedInitLayersTest {
    @TempDir
    Path tmp;

    @Test
    void containersOfOneImage_shareItsInitLayer_otherImagesHaveTheirOwn() throws Exception {
        Path image = Files.createDirectories(tmp.resolve("layers").resolve("a"));
        Files.createDirectories(image.resolve("etc"));
        Path other = Files.createDirectories(tmp.resolve("layers").resolve("b"));
        OverlaySnapshotter snapshots = new OverlaySnapshotter(tmp.resolve("root"));

        snapshots.prepareContainer("c1", List.of(image));
        snapshots.prepareContainer("c2", List.of(image));
        snapshots.prepareContainer("c3", List.of(image, other));

        Path init = snapshots.lowerDirs("c1").getLast();
        assertThat(snapshots.lowerDirs("c2").getLast()).isEqualTo(init);
        assertThat(snapshots.lowerDirs("c3").getLast()).isNotEqualTo(init);
        assertThat(init.getParent()).isEqualTo(tmp.resolve("root").resolve("init-layers"));
        assertThat(init.resolve("etc/hosts")).isEmptyFile();
        assertThat(init.resolve(".dockerenv")).isEmptyFile();
        try (var names = Files.list(init.getParent())) {
            assertThat(names.map(p -> p.getFileName().toString())).hasSize(2).noneMatch(n -> n.startsWith(".tmp-"));
        }
    }

    @Test
    void anInitLayerNoContainerLists_isKeptForTheNext_upToALimit() throws Exception {
        Path image = Files.createDirectories(tmp.resolve("layers").resolve("a"));
        OverlaySnapshotter snapshots = new OverlaySnapshotter(tmp.resolve("root"));
        snapshots.prepareContainer("c1", List.of(image));
        Path init = snapshots.lowerDirs("c1").getLast();
        snapshots.remove("c1");
        assertThat(init).as("kept for the image's next container").isDirectory();
        snapshots.prepareContainer("c2", List.of(image));
        assertThat(snapshots.lowerDirs("c2").getLast()).isEqualTo(init);

        // as many other images' containers come and go as are kept idle: the longest unused one goes
        snapshots.remove("c2");
        for (int i = 0; i < SharedInitLayers.IDLE_MAX; i++) {
            Path other = Files.createDirectories(tmp.resolve("layers").resolve("other" + i));
            snapshots.prepareContainer("o" + i, List.of(other));
            snapshots.remove("o" + i);
        }
        assertThat(init).doesNotExist();
        try (var left = Files.list(init.getParent())) {
            assertThat(left).hasSize(SharedInitLayers.IDLE_MAX);
        }
    }

    @Test
    void aRestartedSnapshotter_countsTheListedOnes_keepsTheIdle_andDeletesHalfMadeOnes() throws Exception {
        Path image = Files.createDirectories(tmp.resolve("layers").resolve("a"));
        Path gone = Files.createDirectories(tmp.resolve("layers").resolve("gone"));
        OverlaySnapshotter snapshots = new OverlaySnapshotter(tmp.resolve("root"));
        snapshots.prepareContainer("kept", List.of(image));
        snapshots.prepareContainer("removed", List.of(gone));
        Path kept = snapshots.lowerDirs("kept").getLast();
        Path idle = snapshots.lowerDirs("removed").getLast();
        snapshots.remove("removed");
        Path halfMade = Files.createDirectories(kept.getParent().resolve(".tmp-abc-1").resolve("etc"));

        OverlaySnapshotter restarted = new OverlaySnapshotter(tmp.resolve("root"));

        assertThat(kept).isDirectory();
        assertThat(idle).isDirectory();
        assertThat(halfMade.getParent()).doesNotExist();
        restarted.prepare("kept", List.of(image)); // counted at the restart: its release makes it idle, not gone
        assertThat(kept).isDirectory();
    }

    @Test
    void key_isTheLayerListInOrder() {
        Path a = Path.of("/l/a");
        Path b = Path.of("/l/b");
        assertThat(SharedInitLayers.key(List.of(a, b))).isEqualTo(SharedInitLayers.key(List.of(a, b)))
                .isNotEqualTo(SharedInitLayers.key(List.of(b, a))).hasSize(64);
    }
}

package dev.skiff.runtime.overlay;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.skiff.runtime.Snapshotter;
import dev.skiff.runtime.SnapshotterContract;
import dev.skiff.runtime.TestRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The snapshotter contract on real overlayfs mounts (needs root). */
class OverlaySnapshotterIT extends SnapshotterContract {
    private static Path tmp;
    private static OverlaySnapshotter snapshotter;

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(TestRootfs.isRoot(), "needs root");
        tmp = Files.createTempDirectory("skiff-snap");
        snapshotter = new OverlaySnapshotter(tmp.resolve("root"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        // The contract removed (and so unmounted) every snapshot it made.
        TestRootfs.deleteTree(tmp);
    }

    @Override
    protected Snapshotter snapshotter() {
        return snapshotter;
    }

    @Override
    protected Path scratch() {
        return tmp;
    }

    @org.junit.jupiter.api.Test
    void aPrepareThatFails_leavesNoHalfMadeSnapshot() throws Exception {
        // a layer gone missing here; a full disk fails the same way part of the way through
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> snapshotter.prepare("half",
                java.util.List.of(tmp.resolve("no-such-layer")))).hasMessageContaining("does not exist");
        org.assertj.core.api.Assertions.assertThat(tmp.resolve("root/containers-snap/half")).doesNotExist();
    }
}

package dev.skiff.build.context;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.sys.MountTable;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A context's own tmpfs: mounted for one build, freed at once by close, and never left behind by a crash. */
class ContextPlacementTest {
    @TempDir
    Path tmp;

    @Test
    void aSmallContext_livesOnItsOwnTmpfs_untilClosed() throws Exception {
        Path fast = tmp.resolve("mem");
        Path disk = Files.createDirectory(tmp.resolve("disk"));
        ContextPlacement placement = ContextPlacement.inMemory(fast, disk);
        try {
            boolean mounted = MountTable.isMountPoint(fast);
            if (mounted) { // as root: a tmpfs of its own
                assertThat(Files.getFileStore(fast).type()).isEqualTo("tmpfs");
                assertThat(placement.budget()).isPositive().isLessThanOrEqualTo(ContextPlacement.MAX_IN_MEMORY);
            } else { // without the right to mount: straight to disk
                assertThat(placement.fast()).isEqualTo(disk);
            }
            ContextArchive.Unpacked u = ContextArchive.extract(new ByteArrayInputStream(TestTars.tar("Dockerfile", "f",
                    "FROM x\n")), placement, 1 << 20, null);
            assertThat(Files.readString(u.root().resolve("Dockerfile"))).isEqualTo("FROM x\n");
            assertThat(u.root()).isEqualTo((mounted ? fast : disk).toAbsolutePath());
        } finally {
            placement.close();
        }
        assertThat(MountTable.isMountPoint(fast)).isFalse();
        assertThat(fast).doesNotExist();
        assertThat(disk).doesNotExist();
    }

    @Test
    void leftoversOfACrash_areUnmounted() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("contexts"));
        ContextPlacement left = ContextPlacement.inMemory(root.resolve("ctx-1"), tmp.resolve("disk"));
        ContextPlacement.unmountLeftovers(root);
        assertThat(MountTable.isMountPoint(root.resolve("ctx-1"))).isFalse();
        left.close();
    }
}

package dev.skiff.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.skiff.sys.MountTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalVolumeDriverTest extends VolumeDriverContract {
    @TempDir
    Path root;

    @Override
    protected VolumeDriver driver() {
        return new LocalVolumeDriver(root.resolve("volumes"));
    }

    @Test
    void layout_isDockers() {
        VolumeDriver d = driver();
        assertThat(d.create("named", null)).isEqualTo(root.resolve("volumes/named/_data"));
        assertThat(Files.exists(root.resolve("../escape"))).isFalse();
    }

    @Test
    void tmpfsOption_mountsOnFirstUser_unmountsAfterTheLast() throws Exception {
        assumeThat(System.getProperty("user.name")).as("mount(2) needs root").isEqualTo("root");
        VolumeDriver d = driver();
        Volume v = made(d, "fast", Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=1m,mode=700"));
        Path p = Path.of(v.mountpoint());
        assertThat(MountTable.isMountPoint(p)).isFalse();
        d.mount(v, "a");
        d.mount(v, "b");
        assertThat(MountTable.isMountPoint(p)).isTrue();
        assertThat(Files.getPosixFilePermissions(p)).hasSize(3);
        d.unmount(v, "a");
        assertThat(MountTable.isMountPoint(p)).isTrue();
        d.unmount(v, "b");
        assertThat(MountTable.isMountPoint(p)).isFalse();
        d.mount(v, "c");
        d.reconcile(v, java.util.Set.of()); // after a crash nobody runs: the mount is released
        assertThat(MountTable.isMountPoint(p)).isFalse();
        d.remove(v);
        assertThat(p).doesNotExist();
    }
}

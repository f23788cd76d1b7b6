package dev.skiff.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.SkiffException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link VolumeDriver} does; an implementation's test extends this and supplies the driver. */
public abstract class VolumeDriverContract {
    /** A fresh driver with no volumes. */
    protected abstract VolumeDriver driver();

    protected Volume made(VolumeDriver d, String name, Map<String, String> options) {
        Path mp = d.create(name, options);
        return new Volume(name, d.name(), null, options, "2026-01-01T00:00:00Z", mp.toString());
    }

    @Test
    void create_makesAnEmptyVolume_andKeepsDataAcrossMounts() throws Exception {
        VolumeDriver d = driver();
        Volume v = made(d, "data1", null);
        Path p = d.mount(v, "c1");
        assertThat(p).isDirectory();
        assertThat(Files.list(p).count()).isZero();
        Files.writeString(p.resolve("f"), "x");
        d.unmount(v, "c1");
        assertThat(Files.readString(d.mount(v, "c2").resolve("f"))).isEqualTo("x");
        assertThat(d.size(v)).isIn(1L, -1L);
        d.unmount(v, "c2");
    }

    @Test
    void create_again_keepsTheData() throws Exception {
        VolumeDriver d = driver();
        Volume v = made(d, "again", null);
        Files.writeString(d.mount(v, "c").resolve("f"), "x");
        d.unmount(v, "c");
        made(d, "again", null);
        assertThat(Files.readString(d.mount(v, "c").resolve("f"))).isEqualTo("x");
        d.unmount(v, "c");
    }

    @Test
    void users_areCounted_unknownUnmountIgnored() {
        VolumeDriver d = driver();
        Volume v = made(d, "shared", null);
        d.mount(v, "a");
        d.mount(v, "b");
        d.mount(v, "a");
        assertThat(d.users(v)).containsExactlyInAnyOrder("a", "b");
        d.unmount(v, "zzz");
        d.unmount(v, "a");
        assertThat(d.users(v)).containsExactly("b");
        assertThatThrownBy(() -> d.remove(v)).isInstanceOf(SkiffException.class);
        d.unmount(v, "b");
        assertThat(d.users(v)).isEmpty();
    }

    @Test
    void remove_deletesTheData() throws Exception {
        VolumeDriver d = driver();
        Volume v = made(d, "gone", null);
        Path p = d.mount(v, "c");
        Files.writeString(p.resolve("f"), "x");
        d.unmount(v, "c");
        d.remove(v);
        assertThat(p).doesNotExist();
    }

    @Test
    void reconcile_rebuildsUsers() {
        VolumeDriver d = driver();
        Volume v = made(d, "recon", null);
        d.reconcile(v, Set.of("x", "y"));
        assertThat(d.users(v)).containsExactlyInAnyOrder("x", "y");
        d.reconcile(v, Set.of());
        assertThat(d.users(v)).isEmpty();
    }

    @Test
    void badNameOrOption_createsNothing() {
        VolumeDriver d = driver();
        assertThatThrownBy(() -> d.create("../escape", null)).isInstanceOf(SkiffException.class);
        assertThatThrownBy(() -> d.create("fine", Map.of("bogus", "1"))).isInstanceOf(SkiffException.class);
    }
}

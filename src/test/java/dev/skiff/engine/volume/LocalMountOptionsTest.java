package dev.skiff.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Syscalls;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The local driver's type/o/device options into mount(2) arguments. NFS is covered here only: no test may
 * reach an NFS server (no outside addresses), so the real mount of an NFS volume is not exercised.
 */
class LocalMountOptionsTest {
    @Test
    void tmpfs_sizeAndUidGoToTheData() {
        LocalMountOptions m = LocalMountOptions.translate(Map.of("type", "tmpfs", "device", "tmpfs", "o", "size=100m,uid=1000"), h -> h);
        assertThat(m).isEqualTo(new LocalMountOptions("tmpfs", "tmpfs", 0, "size=100m,uid=1000", 0));
    }

    @Test
    void bind_isAFlag_andReadOnlyNeedsARemount() {
        LocalMountOptions m = LocalMountOptions.translate(Map.of("type", "none", "o", "bind,ro", "device", "/srv/x"), h -> h);
        assertThat(m.source()).isEqualTo("/srv/x");
        assertThat(m.fstype()).isNull();
        assertThat(m.flags()).isEqualTo(Syscalls.MS_BIND | Syscalls.MS_RDONLY);
        assertThat(m.data()).isNull();
        assertThat(m.readOnlyBind()).isTrue();
        assertThat(LocalMountOptions.translate(Map.of("o", "rbind,rshared", "device", "/d"), h -> h).propagation())
                .isEqualTo(Syscalls.MS_SHARED | Syscalls.MS_REC);
    }

    @Test
    void nfs_hostNameInAddrIsResolved_flagsSplitFromData() {
        LocalMountOptions m = LocalMountOptions.translate(
                Map.of("type", "nfs", "o", "addr=fileserver.lan,rw,noatime,nfsvers=4", "device", ":/export/home"),
                h -> h.equals("fileserver.lan") ? "192.0.2.10" : "unexpected");
        assertThat(m.source()).isEqualTo(":/export/home");
        assertThat(m.fstype()).isEqualTo("nfs");
        assertThat(m.data()).isEqualTo("addr=192.0.2.10,nfsvers=4");
        assertThat(m.flags()).isEqualTo(1024L); // MS_NOATIME; rw clears MS_RDONLY
        assertThat(LocalMountOptions.translate(Map.of("type", "nfs", "o", "addr=10.0.0.2", "device", ":/e"), h -> "unexpected").data())
                .isEqualTo("addr=10.0.0.2");
    }

    @Test
    void validation_asDockersLocalDriver() {
        LocalMountOptions.validate(Map.of());
        LocalMountOptions.validate(Map.of("device", "/dev/sdb1"));
        assertThatThrownBy(() -> LocalMountOptions.validate(Map.of("type", "tmpfs"))).isInstanceOf(InvalidArgumentException.class)
                .hasMessage("missing required option: \"device\"");
        assertThatThrownBy(() -> LocalMountOptions.validate(Map.of("o", "size=1m"))).hasMessage("missing required option: \"device\"");
        assertThatThrownBy(() -> LocalMountOptions.validate(Map.of("colour", "red"))).hasMessage("invalid option: \"colour\"");
        assertThatThrownBy(() -> LocalMountOptions.validate(Map.of("size", "1g"))).hasMessageStartingWith("quota size requested but no quota support");
        assertThat(LocalMountOptions.needsMount(Map.of())).isFalse();
        assertThat(LocalMountOptions.needsMount(null)).isFalse();
        assertThat(LocalMountOptions.needsMount(Map.of("type", "tmpfs", "device", "tmpfs"))).isTrue();
    }
}

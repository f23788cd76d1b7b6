package dev.skiff.engine.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MountResolverTest {
    private static final Path ROOT = Path.of("/var/lib/skiff");

    private static String propagation(String spec) {
        return MountResolver.defaultPropagation(MountSpecs.parseBind(spec, "").mount(), ROOT).propagation();
    }

    @Test
    void aBindOverOrInsideTheDaemonRoot_defaultsToRslave_asDockerd() {
        assertThat(propagation("/:/host:ro")).isEqualTo("rslave");
        assertThat(propagation("/var/lib:/v")).isEqualTo("rslave");
        assertThat(propagation("/var/lib/skiff/volumes:/v")).isEqualTo("rslave");
    }

    @Test
    void otherBinds_defaultToRprivate_andAGivenPropagationStays() {
        assertThat(propagation("/srv/data:/data")).isEqualTo("rprivate");
        assertThat(propagation("/var/lib/skiff2:/x")).isEqualTo("rprivate"); // a sibling, not the root
        assertThat(propagation("/srv:/s:rshared")).isEqualTo("rshared");
        assertThat(propagation("/srv:/s:private")).isEqualTo("private");
        assertThat(propagation("/:/host:rslave")).isEqualTo("rslave");
        assertThat(propagation("/var/lib/skiff/volumes:/v:rshared")).isEqualTo("rshared");
        assertThat(MountResolver.defaultPropagation(MountSpecs.parseBind("/:/host", "").mount(), null).propagation())
                .isEqualTo("rprivate");
    }

    @Test
    void aBindOverTheDaemonRoot_withAnotherPropagationGiven_isRefused_asDockerd() {
        for (String spec : new String[] {"/:/host:rprivate", "/var/lib:/v:private", "/var/lib/skiff/x:/x:slave",
                "/:/host:shared"}) {
            assertThatThrownBy(() -> propagation(spec)).as(spec).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageStartingWith("invalid mount config: must use either propagation mode \"rslave\" or "
                            + "\"rshared\" when mount source is within the daemon root, daemon root: \"/var/lib/skiff\"");
        }
    }

    @Test
    void volumesAndTmpfsHaveNone() {
        MountPoint volume = MountSpecs.parseBind("named:/v", "").mount();
        assertThat(MountResolver.defaultPropagation(volume, ROOT).propagation()).isEmpty();
    }
}

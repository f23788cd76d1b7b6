package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeEnvironmentTest {
    @Test
    void keepsPathAndTz_dropsTheRest_fixesTheLocale() {
        Map<String, String> env = new HashMap<>(Map.of("PATH", "/opt/bin:/usr/bin", "TZ", "Europe/Berlin",
                "NOTIFY_SOCKET", "/run/systemd/notify", "LANG", "de_DE.UTF-8", "LD_PRELOAD", "/x.so", "HOME", "/root"));
        RuntimeEnvironment.apply(env);
        assertThat(env).containsExactlyInAnyOrderEntriesOf(
                Map.of("PATH", "/opt/bin:/usr/bin", "TZ", "Europe/Berlin", "LC_ALL", "C.UTF-8"));
    }

    @Test
    void aDaemonWithoutPath_givesTheUsualOne() {
        Map<String, String> env = new HashMap<>(Map.of("LC_ALL", "POSIX"));
        RuntimeEnvironment.apply(env);
        assertThat(env).containsEntry("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
                .containsEntry("LC_ALL", "C.UTF-8").hasSize(2);
    }
}

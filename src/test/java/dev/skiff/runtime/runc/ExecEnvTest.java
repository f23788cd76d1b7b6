package dev.skiff.runtime.runc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.runtime.RuntimeSpec;
import dev.skiff.runtime.oci.OciConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecEnvTest {
    @Test
    void anExecsOwnEnvironment_withWhatOnlyTheContainerHasAfterTheDaemonsDefaults_butNotItsHomeOrTerm() {
        OciConfig.Process container = new OciConfig.Process(true, new OciConfig.User(0, 0, null), List.of("sh"),
                List.of("PATH=/bin", "HOSTNAME=h", "TERM=xterm", "X=container", "DB_PORT=tcp://10.0.0.2:5432",
                        "HOME=/root"), "/", null, List.of(), false);
        RuntimeSpec.Process own = new RuntimeSpec.Process(List.of("env"), List.of("PATH=/bin", "HOSTNAME=h", "X=exec"),
                "", "", List.of(), false, List.of(), List.of(), List.of());
        assertThat(ExecLauncher.withContainerEnv(own, container).env())
                .containsExactly("PATH=/bin", "HOSTNAME=h", "DB_PORT=tcp://10.0.0.2:5432", "X=exec");
    }
}

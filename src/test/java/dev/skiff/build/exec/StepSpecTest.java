package dev.skiff.build.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.runtime.RuntimeSpec;
import org.junit.jupiter.api.Test;

class StepSpecTest {
    @Test
    void buildNetworkModes_areDockersClassicBuilders() {
        assertThat(StepSpec.networkMode("none")).isEqualTo(RuntimeSpec.NetworkMode.NONE);
        assertThat(StepSpec.networkMode("host")).isEqualTo(RuntimeSpec.NetworkMode.HOST);
        for (String joined : new String[] {"default", "bridge", "", null, "mynet"}) {
            assertThat(StepSpec.networkMode(joined)).as(joined).isEqualTo(RuntimeSpec.NetworkMode.PATH);
        }
        assertThat(StepSpec.namedNetwork("mynet")).isEqualTo("mynet");
        assertThat(StepSpec.namedNetwork("bridge")).isNull();
        assertThat(StepSpec.namedNetwork("default")).isNull();
        assertThat(StepSpec.namedNetwork(null)).isNull();
        assertThatThrownBy(() -> StepSpec.networkMode("container:abc")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("is not supported for builds");
    }
}

package dev.skiff.build;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which -f values name a tar entry the builder can take as soon as it arrives. */
class EarlyDockerfileNameTest {
    @Test
    void plainRelativeNames_areTheTarsNames() {
        assertThat(Builder.earlyName("Dockerfile")).isEqualTo("Dockerfile");
        assertThat(Builder.earlyName("./sub//Dockerfile.dev")).isEqualTo("sub/Dockerfile.dev");
        assertThat(Builder.earlyName(".dockerfile.0123abcd")).isEqualTo(".dockerfile.0123abcd");
    }

    @Test
    void othersWaitForTheWholeContext() {
        assertThat(Builder.earlyName("../Dockerfile")).isNull();
        assertThat(Builder.earlyName("/abs/Dockerfile")).isNull();
        assertThat(Builder.earlyName("")).isNull();
        assertThat(Builder.earlyName(".")).isNull();
    }
}

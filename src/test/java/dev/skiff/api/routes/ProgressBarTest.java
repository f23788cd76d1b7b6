package dev.skiff.api.routes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressBarTest {
    @Test
    void format_matchesDockersJsonProgress() {
        assertThat(ProgressBar.format(1_049_000, 2_151_000))
                .isEqualTo("[========================>                          ]  1.049MB/2.151MB");
        assertThat(ProgressBar.format(2_151_000, 2_151_000))
                .isEqualTo("[==================================================>]  2.151MB/2.151MB");
        assertThat(ProgressBar.format(512, -1)).isEqualTo("    512B");
        assertThat(ProgressBar.humanSize(32_500)).isEqualTo("32.5kB");
    }
}

package dev.skiff.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GoDurationsTest {
    @Test
    void parsesWhatGoParses() {
        assertThat(GoDurations.parseNanos("0")).isZero();
        assertThat(GoDurations.parseNanos("300ms")).isEqualTo(300_000_000L);
        assertThat(GoDurations.parseNanos("1m30s")).isEqualTo(90_000_000_000L);
        assertThat(GoDurations.parseNanos("1.5h")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDurations.parseNanos("2us")).isEqualTo(2_000L);
        assertThat(GoDurations.parseNanos("-1s")).isEqualTo(-1_000_000_000L);
    }

    @Test
    void refusesWhatGoRefuses() {
        assertThatThrownBy(() -> GoDurations.parseNanos("10")).hasMessage("time: missing unit in duration \"10\"");
        assertThatThrownBy(() -> GoDurations.parseNanos("soon")).hasMessage("time: invalid duration \"soon\"");
        assertThatThrownBy(() -> GoDurations.parseNanos("")).hasMessage("time: invalid duration \"\"");
        assertThatThrownBy(() -> GoDurations.parseNanos("5x")).hasMessage("time: unknown unit \"x\" in duration \"5x\"");
    }
}

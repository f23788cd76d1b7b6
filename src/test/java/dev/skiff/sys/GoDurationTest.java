package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void parsesWhatGoParses() {
        assertThat(GoDuration.parseNanos("0")).isZero();
        assertThat(GoDuration.parseNanos("-0")).isZero();
        assertThat(GoDuration.parseNanos("300ms")).isEqualTo(300_000_000L);
        assertThat(GoDuration.parseNanos("1m30s")).isEqualTo(90_000_000_000L);
        assertThat(GoDuration.parseNanos("1.5h")).isEqualTo(5_400_000_000_000L);
        assertThat(GoDuration.parseNanos("2us")).isEqualTo(2_000L);
        assertThat(GoDuration.parseNanos("2µs")).isEqualTo(2_000L);
        assertThat(GoDuration.parseNanos(".5s")).isEqualTo(500_000_000L);
        assertThat(GoDuration.parseNanos("1.s")).isEqualTo(1_000_000_000L);
        assertThat(GoDuration.parseNanos("+2h45m")).isEqualTo(9_900_000_000_000L);
        assertThat(GoDuration.parseNanos("-1s")).isEqualTo(-1_000_000_000L);
        assertThat(GoDuration.parseNanos("1.0000000019s")).isEqualTo(1_000_000_001L); // cut below a nanosecond
        assertThat(GoDuration.parse("1h30m")).contains(Duration.ofMinutes(90));
    }

    @Test
    void refusesWhatGoRefuses() {
        assertThatThrownBy(() -> GoDuration.parseNanos("10")).hasMessage("time: missing unit in duration \"10\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("1h30")).hasMessage("time: missing unit in duration \"1h30\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("soon")).hasMessage("time: invalid duration \"soon\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("")).hasMessage("time: invalid duration \"\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("-")).hasMessage("time: invalid duration \"-\"");
        assertThatThrownBy(() -> GoDuration.parseNanos(" 1s")).hasMessage("time: invalid duration \" 1s\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("5x")).hasMessage("time: unknown unit \"x\" in duration \"5x\"");
        assertThatThrownBy(() -> GoDuration.parseNanos("3000000h")).hasMessage("time: invalid duration \"3000000h\"");
        assertThat(GoDuration.parse("soon")).isEmpty();
    }

    @Test
    void formatsAsGoPrints() {
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofNanos(12))).isEqualTo("12ns");
        assertThat(GoDuration.format(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
        assertThat(GoDuration.format(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(GoDuration.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofMinutes(2))).isEqualTo("2m0s");
        assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
        assertThat(GoDuration.format(Duration.ofSeconds(9900).plusMillis(500))).isEqualTo("2h45m0.5s");
        assertThat(GoDuration.format(Duration.ofSeconds(-2))).isEqualTo("-2s");
        for (String text : new String[] {"1h0m0s", "1.5s", "300ms", "2h45m0.5s"}) {
            assertThat(GoDuration.format(GoDuration.parse(text).orElseThrow())).isEqualTo(text);
        }
    }
}

package dev.skiff.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void humanSize_usesBase1000AndSignificantDigits() {
        assertThat(Units.humanSize(0)).isEqualTo("0B");
        assertThat(Units.humanSize(999)).isEqualTo("999B");
        assertThat(Units.humanSize(4_300_000)).isEqualTo("4.3MB");
        assertThat(Units.humanSize(4_325_678)).isEqualTo("4.326MB");
        assertThat(Units.humanSize(4_325_678, 3)).isEqualTo("4.33MB");
        assertThat(Units.humanSize(1_000_000_000)).isEqualTo("1GB");
        assertThat(Units.humanSize(999_999, 3)).isEqualTo("1e+03kB");
    }

    @Test
    void bytesSize_usesBase1024() {
        assertThat(Units.bytesSize(1536 * 1024)).isEqualTo("1.5MiB");
        assertThat(Units.bytesSize(512)).isEqualTo("512B");
        assertThat(Units.bytesSize(2L * 1024 * 1024 * 1024)).isEqualTo("2GiB");
    }

    @Test
    void humanDuration_matchesGoUnits() {
        assertThat(Units.humanDuration(Duration.ofMillis(300))).isEqualTo("Less than a second");
        assertThat(Units.humanDuration(Duration.ofSeconds(1))).isEqualTo("1 second");
        assertThat(Units.humanDuration(Duration.ofSeconds(5))).isEqualTo("5 seconds");
        assertThat(Units.humanDuration(Duration.ofSeconds(61))).isEqualTo("About a minute");
        assertThat(Units.humanDuration(Duration.ofMinutes(5))).isEqualTo("5 minutes");
        assertThat(Units.humanDuration(Duration.ofMinutes(65))).isEqualTo("About an hour");
        assertThat(Units.humanDuration(Duration.ofMinutes(89))).isEqualTo("About an hour");
        assertThat(Units.humanDuration(Duration.ofMinutes(91))).isEqualTo("2 hours");
        assertThat(Units.humanDuration(Duration.ofDays(3))).isEqualTo("3 days");
        assertThat(Units.humanDuration(Duration.ofDays(15))).isEqualTo("2 weeks");
        assertThat(Units.humanDuration(Duration.ofDays(100))).isEqualTo("3 months");
        assertThat(Units.humanDuration(Duration.ofDays(800))).isEqualTo("2 years");
    }

    @Test
    void ramInBytes_parsesDockerSizes() {
        assertThat(Units.ramInBytes("512m")).isEqualTo(512L * 1024 * 1024);
        assertThat(Units.ramInBytes("1g")).isEqualTo(1024L * 1024 * 1024);
        assertThat(Units.ramInBytes("100")).isEqualTo(100);
        assertThat(Units.ramInBytes("2kb")).isEqualTo(2048);
        assertThatThrownBy(() -> Units.ramInBytes("lots")).hasMessageContaining("invalid size");
    }
}

package dev.skiff.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The forms Docker's GetTimestamp reads, and those it refuses (its layouts, checked against a dockerd 20.10). */
class GoTimestampTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final ZoneId LOCAL = ZoneOffset.ofHours(2);

    private static Instant at(String value) {
        return GoTimestamp.parse(value, NOW, LOCAL).orElse(null);
    }

    @Test
    void formatsAsGoMarshalsTimes_withoutTrailingZeros() {
        // Instant.toString() and ISO_INSTANT write the fraction in threes (".121750740Z", ".500Z"); Go does not
        assertThat(GoTimestamp.format(Instant.parse("2026-12-07T15:05:02.121750740Z"))).isEqualTo("2026-12-07T15:05:02.12175074Z");
        assertThat(GoTimestamp.format(Instant.parse("2026-12-07T15:05:02.500Z"))).isEqualTo("2026-12-07T15:05:02.5Z");
        assertThat(GoTimestamp.format(Instant.parse("2026-12-07T15:05:02Z"))).isEqualTo("2026-12-07T15:05:02Z");
    }

    @Test
    void durationsReachBackFromNow_andZeroIsTheEpoch() {
        assertThat(at("10m")).isEqualTo(Instant.parse("2026-12-06T11:50:00Z"));
        assertThat(at("1h30m")).isEqualTo(Instant.parse("2026-12-06T10:30:00Z"));
        assertThat(at("-1h")).isEqualTo(Instant.parse("2026-12-06T13:00:00Z"));
        assertThat(at("0")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void unixSeconds_withTheFractionScaledToNanoseconds() {
        assertThat(at("1700000000")).isEqualTo(Instant.ofEpochSecond(1700000000));
        assertThat(at("1700000000.5")).isEqualTo(Instant.ofEpochSecond(1700000000, 500_000_000));
        assertThat(at("1700000000.000000001")).isEqualTo(Instant.ofEpochSecond(1700000000, 1));
    }

    @Test
    void rfc3339CutShortAnywhereAfterTheDate_isLocalUnlessItNamesAZone() {
        assertThat(at("2026-12-06")).isEqualTo(Instant.parse("2026-12-05T22:00:00Z"));
        assertThat(at("2026-12-06T10")).isEqualTo(Instant.parse("2026-12-06T08:00:00Z"));
        assertThat(at("2026-12-06T10:30")).isEqualTo(Instant.parse("2026-12-06T08:30:00Z"));
        assertThat(at("2026-12-06T10:30:15")).isEqualTo(Instant.parse("2026-12-06T08:30:15Z"));
        assertThat(at("2026-12-06T10:30:15.25")).isEqualTo(Instant.parse("2026-12-06T08:30:15.250Z"));
        assertThat(at("2026-12-06T10:30:15Z")).isEqualTo(Instant.parse("2026-12-06T10:30:15Z"));
        assertThat(at("2026-12-06T10:30:15.123456789+01:00")).isEqualTo(Instant.parse("2026-12-06T09:30:15.123456789Z"));
        assertThat(at("2026-12-06T10-05:00")).isEqualTo(Instant.parse("2026-12-06T15:00:00Z"));
        assertThat(at("2026-12-06Z")).isEqualTo(Instant.parse("2026-12-06T00:00:00Z"));
    }

    @Test
    void whatDockerRefuses_isEmpty() {
        for (String bad : new String[] {"yesterday", "2026-13-01", "2026-12-06T25:00", "2026-12-06T10:30.5",
                "2026-12-06 10:30", "2026/12/06", "-5", "1.2.3", "", "12abc"}) {
            assertThat(GoTimestamp.parse(bad, NOW, LOCAL)).as(bad).isEmpty();
        }
    }
}

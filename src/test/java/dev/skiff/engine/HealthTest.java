package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.skiff.errors.InvalidArgumentException;
import dev.skiff.sys.Json;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthTest {
    private static Health.Result result(int code) {
        return new Health.Result("s", "e", code, "out" + code);
    }

    @Test
    void successMakesHealthyAndClearsTheStreak() {
        Health h = Health.starting().after(result(1), false, 3).after(result(0), false, 3);
        assertThat(h.status()).isEqualTo(Health.HEALTHY);
        assertThat(h.failingStreak()).isZero();
    }

    @Test
    void retriesFailuresInARowMakeUnhealthy() {
        Health h = Health.starting().after(result(1), false, 2);
        assertThat(h.status()).isEqualTo(Health.STARTING);
        assertThat(h.failingStreak()).isEqualTo(1);
        h = h.after(result(2), false, 2);
        assertThat(h.status()).isEqualTo(Health.UNHEALTHY);
        assertThat(h.failingStreak()).isEqualTo(2);
    }

    @Test
    void failuresInTheStartPeriodDoNotCountWhileStarting() {
        Health h = Health.starting().after(result(1), true, 1).after(result(1), true, 1);
        assertThat(h.status()).isEqualTo(Health.STARTING);
        assertThat(h.failingStreak()).isZero();
        Health healthy = h.after(result(0), true, 1).after(result(1), true, 1);
        assertThat(healthy.status()).isEqualTo(Health.UNHEALTHY); // once healthy, the start period no longer shields
    }

    @Test
    void logKeepsTheLastFiveOldestFirst() {
        Health h = Health.starting();
        for (int i = 0; i < 7; i++) {
            h = h.after(result(i), false, 100);
        }
        assertThat(h.log()).extracting(Health.Result::exitCode).containsExactly(2, 3, 4, 5, 6);
    }

    @Test
    void configDefaultsAndShellForm() throws Exception {
        JsonNode c = Json.MAPPER.readTree("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"curl -f localhost\"]}}");
        HealthConfig hc = HealthConfig.of(c);
        assertThat(hc.command()).containsExactly("/bin/sh", "-c", "curl -f localhost");
        assertThat(hc.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(hc.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(hc.startInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(hc.retries()).isEqualTo(3);

        JsonNode custom = Json.MAPPER.readTree("{\"Shell\":[\"/bin/ash\",\"-eo\"],\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"x\"],"
                + "\"Interval\":1000000000,\"Retries\":5}}");
        assertThat(HealthConfig.of(custom).command()).containsExactly("/bin/ash", "-eo", "x");
        assertThat(HealthConfig.of(custom).interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(HealthConfig.of(custom).retries()).isEqualTo(5);

        JsonNode exec = Json.MAPPER.readTree("{\"Healthcheck\":{\"Test\":[\"CMD\",\"/bin/check\",\"--quick\"]}}");
        assertThat(HealthConfig.of(exec).command()).isEqualTo(List.of("/bin/check", "--quick"));
        assertThat(HealthConfig.of(Json.MAPPER.readTree("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}"))).isNull();
        assertThat(HealthConfig.of(Json.MAPPER.readTree("{}"))).isNull();
    }

    @Test
    void createRefusesSubMillisecondDurations() throws Exception {
        assertThatThrownBy(() -> HealthConfig.validate(Json.MAPPER.readTree("{\"Interval\":5}")))
                .isInstanceOf(InvalidArgumentException.class).hasMessage("Interval in Healthcheck cannot be less than 1ms");
        HealthConfig.validate(Json.MAPPER.readTree("{\"Interval\":0,\"Timeout\":1000000}"));
    }

    @Test
    void goDurationText() {
        assertThat(dev.skiff.sys.GoDuration.format(Duration.ofMillis(300))).isEqualTo("300ms");
        assertThat(dev.skiff.sys.GoDuration.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(dev.skiff.sys.GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        assertThat(dev.skiff.sys.GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(dev.skiff.sys.GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }
}

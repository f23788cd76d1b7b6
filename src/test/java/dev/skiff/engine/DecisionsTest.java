package dev.skiff.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.sys.Signals;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DecisionsTest {
    @Test
    void restartPolicy_decisions() {
        assertThat(RestartPolicy.of("", 0).shouldRestart(1, 0, false)).isFalse();
        assertThat(RestartPolicy.of("always", 0).shouldRestart(0, 5, false)).isTrue();
        assertThat(RestartPolicy.of("always", 0).shouldRestart(0, 5, true)).isFalse();
        assertThat(RestartPolicy.of("unless-stopped", 0).shouldRestart(0, 0, false)).isTrue();
        assertThat(RestartPolicy.of("on-failure", 0).shouldRestart(0, 0, false)).isFalse();
        assertThat(RestartPolicy.of("on-failure", 0).shouldRestart(1, 99, false)).isTrue();
        assertThat(RestartPolicy.of("on-failure", 2).shouldRestart(1, 2, false)).isFalse();
    }

    @Test
    void restartPolicy_backoffDoublesAndResets() {
        Duration d = RestartPolicy.nextDelay(null, Duration.ZERO);
        assertThat(d).isEqualTo(Duration.ofMillis(100));
        d = RestartPolicy.nextDelay(d, Duration.ofSeconds(1));
        assertThat(d).isEqualTo(Duration.ofMillis(200));
        d = RestartPolicy.nextDelay(d, Duration.ofSeconds(1));
        assertThat(d).isEqualTo(Duration.ofMillis(400));
        assertThat(RestartPolicy.nextDelay(d, Duration.ofSeconds(10))).isEqualTo(Duration.ofMillis(100));
        assertThat(RestartPolicy.nextDelay(Duration.ofSeconds(50), Duration.ZERO)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void reconcile_decisions() {
        ContainerState running = ContainerState.created().running(10, Times.now());
        assertThat(Reconciler.decide(running, true, false)).isEqualTo(Reconciler.Decision.ADOPT);
        assertThat(Reconciler.decide(running, true, true)).isEqualTo(Reconciler.Decision.RECORD_EXIT);
        assertThat(Reconciler.decide(running, false, false)).isEqualTo(Reconciler.Decision.LOST);
        assertThat(Reconciler.decide(running.exited(0, false, Times.now()), false, false)).isEqualTo(Reconciler.Decision.UNMOUNT);
    }

    @Test
    void signals_parse() {
        assertThat(Signals.parse("SIGKILL", 15)).isEqualTo(9);
        assertThat(Signals.parse("kill", 15)).isEqualTo(9);
        assertThat(Signals.parse("9", 15)).isEqualTo(9);
        assertThat(Signals.parse("SIGRTMIN+3", 15)).isEqualTo(37);
        assertThat(Signals.parse(null, 15)).isEqualTo(15);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Signals.parse("SIGNOPE", 15))
                .isInstanceOf(dev.skiff.errors.InvalidArgumentException.class);
    }

    @Test
    void times_formatLikeGo() {
        assertThat(Times.format(java.time.Instant.parse("2026-11-23T15:22:02.893256180Z"))).isEqualTo("2026-11-23T15:22:02.89325618Z");
        assertThat(Times.format(java.time.Instant.parse("2026-11-23T15:22:02Z"))).isEqualTo("2026-11-23T15:22:02Z");
        assertThat(Times.parseApiTime("1700000000.5")).isEqualTo(java.time.Instant.ofEpochSecond(1700000000, 500_000_000));
        // prune's --filter until=1h reaches the daemon as written: a duration back from now, as dockerd takes it
        java.time.Instant now = java.time.Instant.parse("2026-12-05T10:00:00Z");
        assertThat(Times.parseApiTime("1h", now)).isEqualTo(java.time.Instant.parse("2026-12-05T09:00:00Z"));
        assertThat(Times.parseApiTime("2026-12-01", now)).isEqualTo(java.time.LocalDate.parse("2026-12-01")
                .atStartOfDay(java.time.ZoneId.systemDefault()).toInstant()); // the daemon's zone, as dockerd's
        assertThat(Times.parseApiTime(" ")).isNull();
    }

    @Test
    void logConfig_sizes() {
        assertThat(LogConfig.parseSize("10m")).isEqualTo(10_000_000);
        assertThat(LogConfig.parseSize("1k")).isEqualTo(1000);
        assertThat(LogConfig.parseSize("512")).isEqualTo(512);
    }
}

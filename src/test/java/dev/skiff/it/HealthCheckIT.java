package dev.skiff.it;

import static dev.skiff.it.Cli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Health checks run as Docker runs them, seen through the real docker CLI: inspect, ps, filters, events. */
class HealthCheckIT {
    static SkiffdProcess daemon;

    @BeforeAll
    static void start() throws Exception {
        daemon = SkiffdProcess.startWithBusybox();
    }

    @AfterAll
    static void stop() throws Exception {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void probeTurnsUnhealthyThenHealthy_andPsFiltersAndEventsFollow() {
        String since = Long.toString(Instant.now().getEpochSecond() - 1);
        docker(daemon, "run", "-d", "--name", "probed", "--health-cmd", "cat /tmp/ok", "--health-interval", "300ms",
                "--health-retries", "2", "busybox", "sleep", "1000").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Health.Status}}", "probed").out()).isEqualTo("starting");
        awaitOutput(() -> docker(daemon, "inspect", "-f", "{{.State.Health.Status}}", "probed").out(), "unhealthy");
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Health.FailingStreak}}", "probed").out())
                .matches("[2-9]|\\d\\d+");
        assertThat(docker(daemon, "inspect", "-f", "{{(index .State.Health.Log 0).Output}}", "probed").out())
                .contains("/tmp/ok");
        assertThat(docker(daemon, "ps", "--filter", "health=unhealthy", "--format", "{{.Names}} {{.Status}}").out())
                .startsWith("probed Up ").endsWith("(unhealthy)");

        docker(daemon, "exec", "probed", "sh", "-c", "echo fine > /tmp/ok").assertOk();
        awaitOutput(() -> docker(daemon, "inspect", "-f", "{{.State.Health.Status}}", "probed").out(), "healthy");
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Health.FailingStreak}}", "probed").out()).isEqualTo("0");
        assertThat(docker(daemon, "ps", "--filter", "health=healthy", "--format", "{{.Names}}").out()).isEqualTo("probed");
        assertThat(docker(daemon, "ps", "--filter", "health=none", "--format", "{{.Names}}").out()).isEmpty();

        String events = docker(daemon, "events", "--since", since, "--until", Long.toString(Instant.now().getEpochSecond() + 1),
                "--filter", "container=probed", "--format", "{{.Action}}").assertOk().out();
        assertThat(events).contains("health_status: unhealthy").contains("health_status: healthy");
        // each probe is an exec, with dockerd's exec events
        assertThat(events).contains("exec_create: /bin/sh -c cat /tmp/ok\n", "exec_start: /bin/sh -c cat /tmp/ok\n",
                "exec_die\n");
        docker(daemon, "rm", "-f", "probed").assertOk();
    }

    @Test
    void timeoutKillsTheProbe_andNoHealthcheckDisablesIt() {
        docker(daemon, "run", "-d", "--name", "slow", "--health-cmd", "sleep 30", "--health-interval", "200ms",
                "--health-timeout", "300ms", "--health-retries", "1", "busybox", "sleep", "1000").assertOk();
        awaitOutput(() -> docker(daemon, "inspect", "-f", "{{.State.Health.Status}}", "slow").out(), "unhealthy");
        assertThat(docker(daemon, "inspect", "-f", "{{(index .State.Health.Log 0).ExitCode}} {{(index .State.Health.Log 0).Output}}",
                "slow").out()).isEqualTo("-1 Health check exceeded timeout (300ms)");
        // the killed probes do not pile up inside the container
        awaitOutput(() -> Long.toString(docker(daemon, "top", "slow").out().lines().filter(l -> l.contains("sleep 30")).count()), "0", "1");
        docker(daemon, "rm", "-f", "slow").assertOk();

        docker(daemon, "run", "-d", "--name", "unchecked", "--no-healthcheck", "busybox", "sleep", "1000").assertOk();
        assertThat(docker(daemon, "inspect", "-f", "{{.State.Health}}", "unchecked").out()).isEqualTo("<nil>");
        docker(daemon, "rm", "-f", "unchecked").assertOk();
    }

    @Test
    void aContainerNeverStarted_hasNoHealthYet() {
        docker(daemon, "create", "--name", "hc-created", "--health-cmd", "true", "busybox", "sleep", "100").assertOk();
        try {
            // as dockerd: the health state is made by the first start
            assertThat(docker(daemon, "inspect", "-f", "{{.State.Health}}", "hc-created").assertOk().out()).isEqualTo("<nil>");
            assertThat(docker(daemon, "ps", "-a", "--filter", "health=starting", "--format", "{{.Names}}").assertOk().out())
                    .doesNotContain("hc-created");
        } finally {
            docker(daemon, "rm", "hc-created");
        }
    }

    @Test
    void badFlagsAreUsageErrors() {
        Cli.Result r = docker(daemon, "run", "--rm", "--no-healthcheck", "--health-cmd", "true", "busybox", "true");
        assertThat(r.exitCode()).isEqualTo(125);
        assertThat(r.stderr()).contains("--no-healthcheck conflicts with --health-* options");
        Cli.Result skiff = Cli.skiff(daemon, "run", "--rm", "--health-interval", "soon", "busybox", "true");
        assertThat(skiff.exitCode()).isEqualTo(125);
        assertThat(skiff.stderr()).contains("invalid argument \"soon\" for \"--health-interval\" flag");
    }

    /** Waits up to 20 s for the output to be one of the values. */
    private static void awaitOutput(Supplier<String> read, String... values) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        String last = null;
        while (Instant.now().isBefore(deadline)) {
            last = read.get();
            for (String v : values) {
                if (v.equals(last)) {
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertThat(last).as("waited 20 s").isIn((Object[]) values);
    }
}

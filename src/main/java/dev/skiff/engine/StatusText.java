package dev.skiff.engine;

import java.time.Duration;
import java.time.Instant;

/** docker ps's Status column ("Up 3 seconds", "Exited (0) 5 seconds ago") and Go's units.HumanDuration. */
public final class StatusText {
    private StatusText() {
    }

    public static String of(ContainerState s, Instant now) {
        return switch (s.status()) {
            case ContainerState.RUNNING, ContainerState.PAUSED -> "Up " + since(s.startedAt(), now)
                    + (s.paused() ? " (Paused)" : "");
            case ContainerState.RESTARTING -> "Restarting (" + s.exitCode() + ") " + since(s.finishedAt(), now) + " ago";
            case ContainerState.REMOVING -> "Removal In Progress";
            case ContainerState.DEAD -> "Dead";
            case ContainerState.EXITED -> Times.parse(s.finishedAt()) == null ? "Created"
                    : "Exited (" + s.exitCode() + ") " + since(s.finishedAt(), now) + " ago";
            default -> "Created";
        };
    }

    /** As Docker's ps: a running container with a health check shows "(healthy)" or "(health: starting)". */
    public static String of(ContainerState s, Health health, Instant now) {
        String text = of(s, now);
        if (health == null || !s.status().equals(ContainerState.RUNNING)) {
            return text;
        }
        return text + " (" + (health.status().equals(Health.STARTING) ? "health: starting" : health.status()) + ")";
    }

    private static String since(String time, Instant now) {
        Instant t = Times.parse(time);
        return humanDuration(t == null ? Duration.ZERO : Duration.between(t, now));
    }

    /** Go's github.com/docker/go-units HumanDuration. */
    public static String humanDuration(Duration d) {
        return dev.skiff.sys.HumanUnits.humanDuration(d);
    }
}

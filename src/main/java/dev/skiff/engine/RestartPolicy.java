package dev.skiff.engine;

import dev.skiff.errors.InvalidArgumentException;
import java.time.Duration;

/**
 * A restart policy (HostConfig.RestartPolicy) and the daemon's decision when a container exits.
 *
 * <p>Backoff as Docker's restart manager: the first restart waits 100ms, each further one doubles the wait
 * (capped at one minute); a container that stayed up for 10 seconds or more starts over at 100ms.
 */
public record RestartPolicy(String name, int maximumRetryCount) {
    public static final Duration INITIAL_DELAY = Duration.ofMillis(100);
    public static final Duration MAX_DELAY = Duration.ofMinutes(1);
    public static final Duration RESET_AFTER = Duration.ofSeconds(10);

    /** Validates a policy name as Docker does: "", "no", "always", "unless-stopped", "on-failure". */
    public static RestartPolicy of(String name, int max) {
        String n = name == null || name.isEmpty() ? "no" : name;
        switch (n) {
            case "no", "always", "unless-stopped" -> {
                if (max != 0) {
                    throw new InvalidArgumentException("invalid restart policy: maximum retry count can only be used with 'on-failure'");
                }
            }
            case "on-failure" -> {
                if (max < 0) {
                    throw new InvalidArgumentException("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw new InvalidArgumentException("invalid restart policy: unknown policy '" + n
                    + "'; use one of 'no', 'always', 'unless-stopped', or 'on-failure'");
        }
        return new RestartPolicy(n, max);
    }

    public boolean isNone() {
        return name.equals("no");
    }

    /**
     * Whether a container that just exited should be started again.
     *
     * @param restartCount    restarts done so far by this policy
     * @param manuallyStopped the user stopped it (stop/kill): no policy restarts it until the next start
     */
    public boolean shouldRestart(int exitCode, int restartCount, boolean manuallyStopped) {
        if (manuallyStopped) {
            return false;
        }
        return switch (name) {
            case "always", "unless-stopped" -> true;
            case "on-failure" -> exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }

    /** The wait before the next restart, given the previous wait and how long the container was up. */
    public static Duration nextDelay(Duration previous, Duration uptime) {
        if (previous == null || previous.isZero() || uptime.compareTo(RESET_AFTER) >= 0) {
            return INITIAL_DELAY;
        }
        Duration doubled = previous.multipliedBy(2);
        return doubled.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : doubled;
    }
}

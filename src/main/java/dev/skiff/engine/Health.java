package dev.skiff.engine;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * State.Health as inspect shows it: the status, the count of consecutive failures and the last
 * {@value #MAX_LOG} probe results, oldest first.
 */
public record Health(@JsonProperty("Status") String status, @JsonProperty("FailingStreak") int failingStreak,
                     @JsonProperty("Log") List<Result> log) {
    public static final String STARTING = "starting", HEALTHY = "healthy", UNHEALTHY = "unhealthy";
    static final int MAX_LOG = 5;

    /** One probe: when it ran, its exit code (-1 when it could not run or timed out) and its output. */
    public record Result(@JsonProperty("Start") String start, @JsonProperty("End") String end,
                         @JsonProperty("ExitCode") int exitCode, @JsonProperty("Output") String output) {
    }

    static Health starting() {
        return new Health(STARTING, 0, List.of());
    }

    /**
     * The state after one more probe, with Docker's rules: success makes it healthy and clears the streak;
     * a failure inside the start period does not count; {@code retries} failures in a row make it unhealthy.
     */
    Health after(Result r, boolean inStartPeriod, int retries) {
        List<Result> newLog = new ArrayList<>(log);
        newLog.add(r);
        while (newLog.size() > MAX_LOG) {
            newLog.removeFirst();
        }
        if (r.exitCode() == 0) {
            return new Health(HEALTHY, 0, List.copyOf(newLog));
        }
        if (inStartPeriod && status.equals(STARTING)) {
            return new Health(status, failingStreak, List.copyOf(newLog));
        }
        int streak = failingStreak + 1;
        return new Health(streak >= retries ? UNHEALTHY : status, streak, List.copyOf(newLog));
    }

    /** A stopped container is reported unhealthy, as Docker does, keeping its log. */
    Health stopped() {
        return new Health(UNHEALTHY, failingStreak, log);
    }
}

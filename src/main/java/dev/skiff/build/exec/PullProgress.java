package dev.skiff.build.exec;

import dev.skiff.build.BuildOutput;
import dev.skiff.image.Progress;

/**
 * A pull's progress inside a build's output, as the docker CLI prints a pull without a terminal: one line per
 * status change ("abc123: Pull complete", "Status: Downloaded newer image for x"), no byte counters.
 */
final class PullProgress implements Progress {
    private final BuildOutput out;

    PullProgress(BuildOutput out) {
        this.out = out;
    }

    @Override
    public void update(String id, String status, long current, long total) {
        if (current >= 0 || status == null || status.isEmpty()) {
            return; // a byte counter: a line for each would drown the build's own output
        }
        out.stream(id == null || id.isEmpty() ? status + "\n" : id + ": " + status + "\n");
    }
}

package dev.skiff.image;

import java.util.List;

/** What an image prune removed and the bytes it freed. */
public record PruneResult(List<RemovedEntry> removed, long spaceReclaimed) {
}

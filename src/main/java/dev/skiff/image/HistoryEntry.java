package dev.skiff.image;

import java.time.Instant;
import java.util.List;

/** One row of `docker history`: the image ID is "&lt;missing&gt;" for layers without an image of their own. */
public record HistoryEntry(String id, Instant created, String createdBy, List<String> tags, long size, String comment) {
}

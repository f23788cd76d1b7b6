package dev.skiff.build.cache;

/**
 * One cached step: its key, the image it produced, and what `docker system df` and `builder prune` show.
 *
 * @param description the step, e.g. "RUN make" (BuildKit's "Description")
 * @param size        bytes of the layer the step added (0 for metadata-only steps)
 */
public record CacheRecord(String key, String imageId, String parentId, String description, long size,
                          long createdMillis, long lastUsedMillis, long usageCount) {
    /** A short ID as `docker buildx du` shows them: the key's hex, 25 characters. */
    public String shortId() {
        String hex = key.startsWith("sha256:") ? key.substring(7) : key;
        return hex.substring(0, Math.min(25, hex.length()));
    }
}

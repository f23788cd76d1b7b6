package dev.skiff.image;

/** One line of `docker rmi` output: exactly one of the two is set. */
public record RemovedEntry(String untagged, String deleted) {
    public static RemovedEntry untagged(String ref) {
        return new RemovedEntry(ref, null);
    }

    public static RemovedEntry deleted(String id) {
        return new RemovedEntry(null, id);
    }
}

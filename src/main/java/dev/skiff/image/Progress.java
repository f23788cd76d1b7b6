package dev.skiff.image;

/**
 * Receives progress of long work (import, load, pull, push) in the shape of Docker's JSON progress
 * messages: an id (a short layer digest or ""), a status ("Loading layer", "Pull complete"), and
 * optionally current/total bytes.
 */
public interface Progress {
    Progress NONE = (id, status, current, total) -> { };

    void update(String id, String status, long current, long total);

    default void status(String message) {
        update("", message, -1, -1);
    }

    /**
     * A line of the command's own output rather than progress (dockerd writes it to the output stream itself, as
     * `docker load`'s "Loaded image:"), so shown even when progress is not; the API sends it as a "stream" message.
     */
    default void message(String line) {
        status(line.strip());
    }
}

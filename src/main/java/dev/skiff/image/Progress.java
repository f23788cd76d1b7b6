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
}
